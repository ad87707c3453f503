package io.redispatterns.crypto.autoconfigure;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.crypto.EncryptionKey;
import io.redispatterns.crypto.KeyProvider;
import io.redispatterns.crypto.StaticKeyProvider;
import io.redispatterns.crypto.ValueEncryptor;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Provides the {@link ValueEncryptor} that encrypted caches and session attributes use, with keys
 * from {@code redis-patterns.encryption.*} unless the application defines a {@link KeyProvider}.
 * Without keys and without a provider there is no encryptor, and a cache or session attribute
 * configured as encrypted fails start-up naming its property.
 */
@AutoConfiguration
@EnableConfigurationProperties(EncryptionProperties.class)
public final class EncryptionAutoConfiguration {

	static final String PREFIX = "redis-patterns.encryption";

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(KeyProvider.class)
	@Conditional(KeysConfigured.class)
	static class PropertyKeysConfiguration {

		@Bean
		StaticKeyProvider redisPatternsKeyProvider(EncryptionProperties properties) {
			return keyProvider(properties);
		}

	}

	@Bean
	@ConditionalOnBean(KeyProvider.class)
	@ConditionalOnMissingBean
	ValueEncryptor redisPatternsValueEncryptor(KeyProvider keys) {
		return new ValueEncryptor(keys);
	}

	/** Builds the keys of the properties; an invalid one fails start-up naming its property. */
	static StaticKeyProvider keyProvider(EncryptionProperties properties) {
		List<EncryptionKey> keys = new ArrayList<>();
		for (Map.Entry<String, String> entry : properties.getKeys().entrySet()) {
			String property = PREFIX + ".keys." + entry.getKey();
			byte[] bytes;
			try {
				bytes = Base64.getDecoder().decode(entry.getValue().trim());
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidRedisPatternsPropertyException(property, "(hidden)",
						"the base64 of 16, 24 or 32 random bytes (such as the output of 'openssl rand -base64 32')");
			}
			try {
				keys.add(EncryptionKey.aes(entry.getKey(), bytes));
			}
			catch (IllegalArgumentException ex) {
				throw new InvalidRedisPatternsPropertyException(property, "(hidden, " + bytes.length + " bytes)",
						"the base64 of 16, 24 or 32 random bytes under an id of 1 to 32 letters, digits, '-' or '_'");
			}
		}
		String active = properties.getActiveKey();
		if (keys.isEmpty()) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + ".keys", "(none)",
					"at least one key when " + PREFIX + ".active-key is set");
		}
		if (active == null || properties.getKeys().get(active) == null) {
			throw new InvalidRedisPatternsPropertyException(PREFIX + ".active-key", (active != null) ? active : "(unset)",
					"the id of one of the keys under " + PREFIX + ".keys: " + properties.getKeys().keySet());
		}
		return new StaticKeyProvider(keys, active);
	}

	/** Whether any {@code redis-patterns.encryption.keys.*} or {@code active-key} is set. */
	static final class KeysConfigured implements Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			Binder binder = Binder.get(context.getEnvironment());
			return binder.bind(PREFIX + ".keys", Bindable.mapOf(String.class, String.class)).isBound()
					|| binder.bind(PREFIX + ".active-key", String.class).isBound();
		}

	}

}
