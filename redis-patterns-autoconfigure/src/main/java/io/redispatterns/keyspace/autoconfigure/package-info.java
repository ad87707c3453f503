/**
 * Auto-configuration of keyspace analysis.
 */
@NullMarked
package io.redispatterns.keyspace.autoconfigure;

import org.jspecify.annotations.NullMarked;
