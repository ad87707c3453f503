package io.redispatterns.console;

import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A console action as posted by a form: its name, parameters and operator.
 */
public final class ConsoleAction {

	/** The form field that says the operator confirmed an action on many items. */
	public static final String CONFIRMED = "confirmed";

	private final String name;

	private final Map<String, List<String>> parameters;

	private final String operator;

	/**
	 * Creates an action.
	 * @param name the action's name
	 * @param parameters the form's fields
	 * @param operator who posts it
	 */
	public ConsoleAction(String name, Map<String, List<String>> parameters, String operator) {
		this.name = name;
		this.parameters = Map.copyOf(parameters);
		this.operator = operator;
	}

	/**
	 * Returns the action's name.
	 * @return the name, such as {@code retry-all-dead}
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Returns who posts the action.
	 * @return the operator's name
	 */
	public String operator() {
		return this.operator;
	}

	/**
	 * Returns a parameter.
	 * @param name the field
	 * @return its first value, or {@code null}
	 */
	public @Nullable String param(String name) {
		List<String> values = this.parameters.get(name);
		return (values == null || values.isEmpty()) ? null : values.get(0);
	}

	/**
	 * Returns every value of a parameter.
	 * @param name the field
	 * @return the values, possibly none
	 */
	public List<String> params(String name) {
		return this.parameters.getOrDefault(name, List.of());
	}

	/**
	 * Returns a parameter that must be present and not blank.
	 * @param name the field
	 * @return its value
	 * @throws ConsoleRequestException (400) when it is missing
	 */
	public String require(String name) {
		String value = param(name);
		if (value == null || value.isBlank()) {
			throw new ConsoleRequestException(400, "Missing parameter '" + name + "'");
		}
		return value;
	}

	/**
	 * Refuses an action on many items that the operator did not confirm.
	 * @throws ConsoleRequestException (400) when not confirmed
	 */
	public void requireConfirmation() {
		if (!"yes".equals(param(CONFIRMED))) {
			throw new ConsoleRequestException(400,
					"This action changes many items and needs a confirmation: submit it from the console page");
		}
	}

}
