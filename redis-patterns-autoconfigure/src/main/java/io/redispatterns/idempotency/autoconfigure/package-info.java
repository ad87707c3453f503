/**
 * Auto-configuration of idempotent requests.
 */
@NullMarked
package io.redispatterns.idempotency.autoconfigure;

import org.jspecify.annotations.NullMarked;
