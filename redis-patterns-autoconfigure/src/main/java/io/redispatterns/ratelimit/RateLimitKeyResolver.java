package io.redispatterns.ratelimit;

import org.jspecify.annotations.Nullable;

/**
 * A bean that computes client keys, referenced as {@code key: bean:<bean name>} in a policy or
 * {@code @RateLimited(key = "bean:tenantKeys")}.
 */
@FunctionalInterface
public interface RateLimitKeyResolver {

	/**
	 * Resolves the client key.
	 * @param context the request, method and arguments
	 * @return the key; {@code null} or empty applies the policy's {@link MissingKeyBehavior}
	 */
	@Nullable String resolve(RateLimitKeyContext context);

}
