/**
 * Auto-configuration of HTTP response caching.
 */
@NullMarked
package io.redispatterns.responsecache.autoconfigure;

import org.jspecify.annotations.NullMarked;
