/**
 * Keyspace analysis: {@link io.redispatterns.keyspace.KeyspaceAnalyzer} walks the keyspace with a
 * bounded {@code SCAN} (never {@code KEYS}) on every master and reports per key prefix the key
 * counts, types, keys without a TTL and sampled memory; a gauge follows the keys without a TTL under
 * the library's prefix.
 */
@NullMarked
package io.redispatterns.keyspace;

import org.jspecify.annotations.NullMarked;
