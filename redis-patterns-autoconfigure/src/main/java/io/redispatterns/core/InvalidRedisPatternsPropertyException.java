package io.redispatterns.core;

/**
 * Thrown at start-up when a {@code redis-patterns.*} property holds a value the library cannot
 * use. A failure analyzer turns it into one message naming the property, the value and what is
 * allowed.
 */
public class InvalidRedisPatternsPropertyException extends RedisPatternsException {

	private final String property;

	private final Object value;

	private final String allowed;

	/**
	 * Creates an exception.
	 * @param property the full property name, such as {@code redis-patterns.key-prefix}
	 * @param value the rejected value
	 * @param allowed what the property accepts, such as {@code a positive duration}
	 */
	public InvalidRedisPatternsPropertyException(String property, Object value, String allowed) {
		this(property, value, allowed, "Invalid value '" + value + "' for property '" + property + "': allowed is " + allowed);
	}

	/**
	 * Creates an exception with a message of its own.
	 * @param property the full property name
	 * @param value the rejected value
	 * @param allowed what is accepted instead
	 * @param message the exception message
	 */
	protected InvalidRedisPatternsPropertyException(String property, Object value, String allowed, String message) {
		super(message);
		this.property = property;
		this.value = value;
		this.allowed = allowed;
	}

	/**
	 * Returns the full name of the property.
	 * @return the property name
	 */
	public String getProperty() {
		return this.property;
	}

	/**
	 * Returns the rejected value.
	 * @return the value
	 */
	public Object getValue() {
		return this.value;
	}

	/**
	 * Returns a description of the accepted values.
	 * @return the accepted values
	 */
	public String getAllowed() {
		return this.allowed;
	}

}
