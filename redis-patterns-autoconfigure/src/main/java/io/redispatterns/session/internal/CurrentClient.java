package io.redispatterns.session.internal;

import org.jspecify.annotations.Nullable;

/**
 * The client of the request the current thread serves, set by {@link SessionClientFilter} around
 * Spring Session's filter, so that the repository can record it when a session logs in.
 */
public final class CurrentClient {

	private static final ThreadLocal<@Nullable Client> CURRENT = new ThreadLocal<>();

	private CurrentClient() {
	}

	static @Nullable Client get() {
		return CURRENT.get();
	}

	public static @Nullable Client set(@Nullable Client client) {
		Client previous = CURRENT.get();
		if (client == null) {
			CURRENT.remove();
		}
		else {
			CURRENT.set(client);
		}
		return previous;
	}

	public record Client(@Nullable String ip, @Nullable String userAgent) {
	}

}
