/**
 * Internal: the keyspace analyzer's Actuator section, created by {@code KeyspaceAutoConfiguration}. Not part of the public API; use the types of {@link io.redispatterns.keyspace} instead.
 */
@NullMarked
package io.redispatterns.keyspace.internal;

import org.jspecify.annotations.NullMarked;
