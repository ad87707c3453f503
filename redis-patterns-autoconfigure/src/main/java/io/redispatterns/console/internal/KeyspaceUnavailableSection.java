package io.redispatterns.console.internal;

import io.redispatterns.console.ConsolePage;
import io.redispatterns.console.ConsoleSection;

/**
 * The keyspace page when the application has no keyspace analysis: says so. An application (or a
 * later version of the library) that has one declares its own {@link ConsoleSection} with the id
 * {@code keyspace}, which replaces this one.
 */
public final class KeyspaceUnavailableSection implements ConsoleSection {

	@Override
	public String id() {
		return "keyspace";
	}

	@Override
	public String title() {
		return "Keyspace";
	}

	@Override
	public int order() {
		return 70;
	}

	@Override
	public void render(ConsolePage page) {
		page.heading("Keyspace");
		page.html()
			.element("p", "Keyspace analysis is not available in this application: no console section provides it.",
					"class", "muted");
	}

}
