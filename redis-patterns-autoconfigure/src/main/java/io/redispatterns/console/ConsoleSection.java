package io.redispatterns.console;

/**
 * One page of the operator console, shown at {@code <console path>/<id>} and listed in its
 * navigation. The library contributes one per pattern present in the application; an application
 * adds its own (such as a keyspace analysis, shown under the id {@code keyspace}) by declaring a
 * bean of this type.
 */
public interface ConsoleSection {

	/**
	 * Returns the URL segment of the section: lower-case letters, digits and {@code -}.
	 * @return the id, such as {@code queues}
	 */
	String id();

	/**
	 * Returns the section's name in the navigation.
	 * @return the title, such as {@code Queues}
	 */
	String title();

	/**
	 * Returns the position of the section in the navigation, lower first.
	 * @return the order
	 */
	default int order() {
		return 1000;
	}

	/**
	 * Renders a page of the section ({@code GET <console path>/<id>/<path...>}). Reads must be
	 * bounded (a page of items, never a whole keyspace or queue).
	 * @param page the request and the writer of the page's content
	 * @throws ConsoleRequestException when the path or a parameter names nothing
	 */
	void render(ConsolePage page);

	/**
	 * Runs an action ({@code POST <console path>/<id>/actions/<name>}). The console has already
	 * checked access, the CSRF token and that actions are enabled, and audits the outcome.
	 * @param action the action's name and parameters
	 * @return what to tell the operator and which page to show next
	 * @throws ConsoleRequestException when the action or a parameter is unknown or invalid
	 */
	default ConsoleActionResult act(ConsoleAction action) {
		throw new ConsoleRequestException(404, "No action '" + action.name() + "' on " + title());
	}

}
