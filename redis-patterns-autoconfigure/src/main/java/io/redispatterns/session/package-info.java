/**
 * Redis-backed HTTP sessions for Spring Session: a {@code FindByIndexNameSessionRepository}
 * whose principal index cannot leak, JSON session attributes, and {@link io.redispatterns.session.UserSessions}
 * for listing and revoking a user's sessions ("log out everywhere").
 */
@NullMarked
package io.redispatterns.session;

import org.jspecify.annotations.NullMarked;
