/**
 * Auto-configuration of the Actuator health contributor and endpoint.
 */
@NullMarked
package io.redispatterns.actuate.autoconfigure;

import org.jspecify.annotations.NullMarked;
