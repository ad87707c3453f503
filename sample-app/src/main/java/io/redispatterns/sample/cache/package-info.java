/**
 * Caching sample: a deliberately slow product repository behind {@code @CachedWithLock}.
 */
@NullMarked
package io.redispatterns.sample.cache;

import org.jspecify.annotations.NullMarked;
