/**
 * Auto-configuration of the session repository ({@code redis-patterns.session.*}).
 */
@NullMarked
package io.redispatterns.session.autoconfigure;

import org.jspecify.annotations.NullMarked;
