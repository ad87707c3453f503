package io.redispatterns.session.internal;

import java.util.concurrent.TimeoutException;

import io.lettuce.core.RedisCommandTimeoutException;
import io.redispatterns.core.JsonCodecException;
import io.redispatterns.session.UserSessions;

import org.springframework.dao.QueryTimeoutException;

/** How the session classes describe failures and ids in logs. */
final class SessionFailures {

	private SessionFailures() {
	}

	/** The first 16 hex digits of a session id's SHA-256: what logs and users see of an id. */
	static String idHash(String sessionId) {
		return UserSessions.idHash(sessionId);
	}

	static Throwable rootCause(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return cause;
	}

	/** The class and first line of a failure's message (JSON errors: of their cause). */
	static String describe(Throwable ex) {
		Throwable cause = (ex instanceof JsonCodecException && ex.getCause() != null) ? ex.getCause() : ex;
		String message = cause.getMessage();
		if (message != null) {
			int newline = message.indexOf('\n');
			message = (newline > 0) ? message.substring(0, newline) : message;
		}
		return cause.getClass().getSimpleName() + ": " + message;
	}

	static boolean isTimeout(Throwable failure) {
		for (Throwable current = failure; current != null; current = (current.getCause() != current)
				? current.getCause() : null) {
			if (current instanceof QueryTimeoutException || current instanceof TimeoutException
					|| current instanceof RedisCommandTimeoutException) {
				return true;
			}
		}
		return false;
	}

}
