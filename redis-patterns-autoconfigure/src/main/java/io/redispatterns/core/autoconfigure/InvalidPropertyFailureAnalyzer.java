package io.redispatterns.core.autoconfigure;

import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.core.UnknownRedisPatternsPropertyException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns an {@link InvalidRedisPatternsPropertyException} anywhere in a start-up failure into
 * one message that names the property, the rejected value and what is allowed.
 */
class InvalidPropertyFailureAnalyzer extends AbstractFailureAnalyzer<InvalidRedisPatternsPropertyException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidRedisPatternsPropertyException cause) {
		if (cause instanceof UnknownRedisPatternsPropertyException unknown) {
			return analyzeUnknown(unknown);
		}
		String description = "Invalid redis-patterns configuration:%n%n    Property: %s%n    Value: \"%s\"%n    Allowed: %s"
			.formatted(cause.getProperty(), cause.getValue(), cause.getAllowed());
		String action = "Update '%s' in your application's configuration to %s.".formatted(cause.getProperty(),
				cause.getAllowed());
		return new FailureAnalysis(description, action, cause);
	}

	private FailureAnalysis analyzeUnknown(UnknownRedisPatternsPropertyException cause) {
		String description = "Unknown redis-patterns property:%n%n    Property: %s%n    Value: \"%s\"%n%nNothing reads it, so it would be silently ignored.%s"
			.formatted(cause.getProperty(), cause.getValue(),
					(cause.getSuggestion() != null) ? "%n%nDid you mean '%s'?".formatted(cause.getSuggestion()) : "");
		String action = ((cause.getSuggestion() != null) ? "Rename '%s' to '%s'".formatted(cause.getProperty(), cause.getSuggestion())
				: "Correct or remove '%s'".formatted(cause.getProperty()))
				+ " in your application's configuration (redis-patterns.fail-on-unknown-properties=false only logs a warning).";
		return new FailureAnalysis(description, action, cause);
	}

}
