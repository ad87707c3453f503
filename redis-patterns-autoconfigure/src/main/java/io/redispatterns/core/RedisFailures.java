package io.redispatterns.core;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeoutException;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;

/**
 * Sorts a failure of a Redis call into what the caller can act on (see {@link RedisFailureKind}):
 * nothing applied, outcome unknown, or not a Redis fault at all.
 * <p>
 * The rules, from the exception chain of a Spring Data Redis / Lettuce call:
 * <ul>
 * <li>connection could not be opened, commands rejected while disconnected, circuit breaker open,
 * or an error reply Redis gives before running a command ({@code LOADING}, {@code READONLY},
 * {@code MASTERDOWN}, {@code CLUSTERDOWN}, {@code TRYAGAIN}, {@code BUSY}, {@code NOREPLICAS}, {@code OOM}) →
 * {@link RedisFailureKind#UNAVAILABLE};</li>
 * <li>command timeout, connection reset or closed while a command was in flight →
 * {@link RedisFailureKind#OUTCOME_UNKNOWN};</li>
 * <li>anything else (other error replies such as {@code NOPERM} or a script error, decoding
 * errors, the caller's own exceptions) → {@link RedisFailureKind#NOT_REDIS}.</li>
 * </ul>
 */
public final class RedisFailures {

	private static final Set<String> REFUSED_BEFORE_RUNNING = Set.of("LOADING", "READONLY", "MASTERDOWN",
			"CLUSTERDOWN", "TRYAGAIN", "BUSY", "NOREPLICAS", "MISCONF", "OOM");

	private RedisFailures() {
	}

	/**
	 * Classifies a failure.
	 * @param failure what a Redis call threw
	 * @return the kind of failure
	 */
	public static RedisFailureKind classify(@Nullable Throwable failure) {
		for (Throwable current = failure; current != null; current = next(current)) {
			RedisFailureKind kind = classifyOne(current);
			if (kind != null) {
				return kind;
			}
		}
		return RedisFailureKind.NOT_REDIS;
	}

	/**
	 * Returns whether the failure is a Redis fault (unavailable or outcome unknown).
	 * @param failure what a Redis call threw
	 * @return {@code true} unless the failure is {@link RedisFailureKind#NOT_REDIS}
	 */
	public static boolean isRedisFault(@Nullable Throwable failure) {
		return classify(failure) != RedisFailureKind.NOT_REDIS;
	}

	/**
	 * Wraps a Redis fault in {@link RedisUnavailableException} or
	 * {@link RedisOutcomeUnknownException}; returns any other runtime failure unchanged (checked
	 * ones wrapped in a {@link RedisPatternsException}).
	 * @param what the operation, for the message, such as {@code "Publishing to stream orders"}
	 * @param failure what the Redis call threw
	 * @return the exception to throw
	 */
	public static RuntimeException translate(String what, Throwable failure) {
		if (failure instanceof RedisUnavailableException || failure instanceof RedisOutcomeUnknownException) {
			return (RuntimeException) failure;
		}
		return switch (classify(failure)) {
			case UNAVAILABLE -> new RedisUnavailableException(what + " failed: Redis is unavailable, nothing was applied ("
					+ failure.getMessage() + ")", failure);
			case OUTCOME_UNKNOWN -> new RedisOutcomeUnknownException(what
					+ ": the outcome is unknown, Redis did not answer after the command was sent (" + failure.getMessage()
					+ ")", failure);
			case NOT_REDIS -> (failure instanceof RuntimeException runtime) ? runtime
					: new RedisPatternsException(what + " failed: " + failure.getMessage(), failure);
		};
	}

	/**
	 * Describes a failure in words for health output and dead-letter reasons: the first line of the innermost
	 * cause's message, or that cause's simple class name when it has none.
	 * @param failure the failure
	 * @return the description
	 */
	public static String rootMessage(Throwable failure) {
		Throwable root = failure;
		while (root.getCause() != null && root.getCause() != root) {
			root = root.getCause();
		}
		String message = root.getMessage();
		if (message == null) {
			return root.getClass().getSimpleName();
		}
		int newline = message.indexOf('\n');
		return (newline > 0) ? message.substring(0, newline) : message;
	}

	private static @Nullable Throwable next(Throwable current) {
		Throwable cause = current.getCause();
		return (cause != current) ? cause : null;
	}

	private static @Nullable RedisFailureKind classifyOne(Throwable failure) {
		if (failure instanceof RedisUnavailableException) {
			return RedisFailureKind.UNAVAILABLE;
		}
		if (failure instanceof RedisOutcomeUnknownException) {
			return RedisFailureKind.OUTCOME_UNKNOWN;
		}
		if (failure instanceof RedisCommandExecutionException) {
			return refusedBeforeRunning(failure.getMessage()) ? RedisFailureKind.UNAVAILABLE : RedisFailureKind.NOT_REDIS;
		}
		if (failure instanceof RedisCommandTimeoutException || failure instanceof QueryTimeoutException
				|| failure instanceof TimeoutException) {
			return RedisFailureKind.OUTCOME_UNKNOWN;
		}
		if (failure instanceof ConnectException || failure instanceof RedisConnectionException
				|| failure instanceof RedisConnectionFailureException) {
			// Lettuce wraps "Unable to connect" in RedisConnectionException: nothing was written.
			return RedisFailureKind.UNAVAILABLE;
		}
		if (failure instanceof SocketException || failure instanceof ClosedChannelException
				|| failure instanceof IOException) {
			// Reset or closed under an in-flight command: it may have run.
			return RedisFailureKind.OUTCOME_UNKNOWN;
		}
		String message = failure.getMessage();
		if (message != null) {
			String lower = message.toLowerCase(Locale.ROOT);
			if (lower.contains("currently not connected") || lower.contains("commands are rejected")
					|| lower.contains("connection closed") && lower.contains("not connected")) {
				return RedisFailureKind.UNAVAILABLE;
			}
			// "Connection disconnected": Lettuce failing the commands in flight when the connection dropped
			if (lower.contains("connection reset") || lower.contains("connection closed")
					|| lower.contains("connection disconnected") || lower.contains("broken pipe")) {
				return RedisFailureKind.OUTCOME_UNKNOWN;
			}
		}
		return null;
	}

	private static boolean refusedBeforeRunning(@Nullable String message) {
		if (message == null) {
			return false;
		}
		// the error code is the reply's first word: BUSY is refused, BUSYGROUP or BUSYKEY are the caller's errors
		int space = message.indexOf(' ');
		return REFUSED_BEFORE_RUNNING.contains((space > 0) ? message.substring(0, space) : message);
	}

}
