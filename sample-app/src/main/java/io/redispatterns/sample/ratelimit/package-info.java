/**
 * Rate limiting in the sample: {@code GET /api/quotes} per client IP (sliding window) and
 * {@code GET /api/reports} per {@code X-Api-Key} (token bucket).
 */
@NullMarked
package io.redispatterns.sample.ratelimit;

import org.jspecify.annotations.NullMarked;
