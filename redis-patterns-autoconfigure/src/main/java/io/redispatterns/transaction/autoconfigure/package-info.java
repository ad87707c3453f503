/**
 * Auto-configuration of optimistic transactions.
 */
@NullMarked
package io.redispatterns.transaction.autoconfigure;

import org.jspecify.annotations.NullMarked;
