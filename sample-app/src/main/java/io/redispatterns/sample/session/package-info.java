/**
 * Sessions in the sample: Spring Security login backed by the redis-patterns session repository,
 * and the {@code /api/me/sessions} endpoints ("log out everywhere").
 */
@NullMarked
package io.redispatterns.sample.session;

import org.jspecify.annotations.NullMarked;
