/**
 * Auto-configuration of the HTTP mapping of Redis faults.
 */
@NullMarked
package io.redispatterns.web.autoconfigure;

import org.jspecify.annotations.NullMarked;
