package io.redispatterns.core.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings shared by every redis-patterns pattern.
 */
@ConfigurationProperties("redis-patterns")
public class RedisPatternsProperties {

	/**
	 * Prefix of every key the library writes ("<prefix>:<pattern>:<name>:<id>"). Defaults to
	 * spring.application.name, else "app". Letters, digits, '.', '_', '-', '/', '=', '+', '@' and
	 * ':' only.
	 */
	private @Nullable String keyPrefix;

	public @Nullable String getKeyPrefix() {
		return this.keyPrefix;
	}

	public void setKeyPrefix(@Nullable String keyPrefix) {
		this.keyPrefix = keyPrefix;
	}

}
