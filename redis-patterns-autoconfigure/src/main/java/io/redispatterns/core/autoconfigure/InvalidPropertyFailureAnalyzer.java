package io.redispatterns.core.autoconfigure;

import io.redispatterns.core.InvalidRedisPatternsPropertyException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an {@link InvalidRedisPatternsPropertyException} anywhere in a start-up failure into
 * one message that names the property, the rejected value and what is allowed.
 */
class InvalidPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidRedisPatternsPropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidRedisPatternsPropertyException cause) {
		String description = "Invalid redis-patterns configuration:%n%n    Property: %s%n    Value: \"%s\"%n    Allowed: %s"
			.formatted(cause.getProperty(), cause.getValue(), cause.getAllowed());
		String action = "Update '%s' in your application's configuration to %s.".formatted(cause.getProperty(),
				cause.getAllowed());
		return new FailureAnalysis(description, action, cause);
	}

}
