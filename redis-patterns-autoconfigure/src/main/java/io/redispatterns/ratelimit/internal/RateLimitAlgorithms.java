package io.redispatterns.ratelimit.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import io.redispatterns.ratelimit.RateLimitPolicy;
import io.redispatterns.ratelimit.RateLimiter;

import org.springframework.core.io.ClassPathResource;

/**
 * The rate-limit algorithms as Lua building blocks for another pattern's script, so that a limit
 * decided inside that script (in the same round trip and the same Cluster slot as the pattern's own
 * keys) is computed exactly as {@link RateLimiter} computes it. The job queue uses this to limit how
 * many jobs of a queue start per period.
 * <p>
 * {@link #luaSource()} defines, for the script text that follows it: {@code NOW} (the server's
 * {@code TIME} in microseconds, read once) and {@code ALG[code](key, A, B, C, cost)}, which
 * evaluates a limit on {@code key} and returns a table with {@code allowed}, {@code avail} (units
 * available before charging), {@code retry} (microseconds until {@code cost} units would be
 * admitted) and, when allowed, {@code commit()} to charge them. The {@code code} and {@code A, B, C}
 * of a policy come from {@link #scriptArguments(RateLimitPolicy)}.
 */
public final class RateLimitAlgorithms {

	private static final String[] FILES = { "prelude.lua", "fixed_window.lua", "sliding_window.lua",
			"sliding_window_counter.lua", "token_bucket.lua", "gcra.lua" };

	private static final String SOURCE = read();

	private RateLimitAlgorithms() {
	}

	/**
	 * Returns the Lua text that defines {@code NOW} and {@code ALG} (see the class description).
	 * @return the source, to be put in front of the script that uses it
	 */
	public static String luaSource() {
		return SOURCE;
	}

	/**
	 * Returns the arguments the Lua functions take for a policy.
	 * @param policy the policy (its algorithm and limits; key, cost and failure mode are not used)
	 * @return {@code {code, A, B, C}}
	 */
	public static long[] scriptArguments(RateLimitPolicy policy) {
		long[] parameters = policy.scriptParameters();
		return new long[] { policy.algorithm().code(), parameters[0], parameters[1], parameters[2] };
	}

	private static String read() {
		StringBuilder text = new StringBuilder();
		for (String file : FILES) {
			try {
				text.append("-- ").append(file).append('\n')
					.append(new ClassPathResource(file, RateLimiter.class).getContentAsString(StandardCharsets.UTF_8))
					.append('\n');
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot read the rate-limit script " + file, ex);
			}
		}
		return text.toString();
	}

}
