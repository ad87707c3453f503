/**
 * Optimistic transactions: wallet transfers with WATCH / MULTI / EXEC.
 */
@NullMarked
package io.redispatterns.sample.transaction;

import org.jspecify.annotations.NullMarked;
