/**
 * Auto-configuration of encrypted values: keys from {@code redis-patterns.encryption.*} or a
 * {@link io.redispatterns.crypto.KeyProvider} bean.
 */
@NullMarked
package io.redispatterns.crypto.autoconfigure;

import org.jspecify.annotations.NullMarked;
