/**
 * Encrypted values: an AES-GCM envelope ({@link io.redispatterns.crypto.ValueEncryptor}) that names
 * the key it was written with, so keys rotate while old values stay readable, and the
 * {@link io.redispatterns.crypto.KeyProvider} it takes its keys from. Used by the cache (per cache)
 * and by sessions (per attribute name); a shared foundation like {@code core}.
 */
@NullMarked
package io.redispatterns.crypto;

import org.jspecify.annotations.NullMarked;
