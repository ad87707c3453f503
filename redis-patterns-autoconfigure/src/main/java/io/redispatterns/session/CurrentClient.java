package io.redispatterns.session;

import org.jspecify.annotations.Nullable;

/**
 * The client of the request the current thread serves, set by {@link SessionClientFilter} around
 * Spring Session's filter, so that the repository can record it when a session logs in.
 */
final class CurrentClient {

	private static final ThreadLocal<@Nullable Client> CURRENT = new ThreadLocal<>();

	private CurrentClient() {
	}

	static @Nullable Client get() {
		return CURRENT.get();
	}

	static @Nullable Client set(@Nullable Client client) {
		Client previous = CURRENT.get();
		if (client == null) {
			CURRENT.remove();
		}
		else {
			CURRENT.set(client);
		}
		return previous;
	}

	record Client(@Nullable String ip, @Nullable String userAgent) {
	}

}
