package io.redispatterns.crypto.autoconfigure;

import java.util.Base64;
import java.util.List;

import io.redispatterns.core.InvalidRedisPatternsPropertyException;
import io.redispatterns.crypto.EncryptionKey;
import io.redispatterns.crypto.KeyProvider;
import io.redispatterns.crypto.StaticKeyProvider;
import io.redispatterns.crypto.ValueEncryptor;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class EncryptionAutoConfigurationTests {

	static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EncryptionAutoConfiguration.class));

	@Test
	void withoutKeysThereIsNoEncryptor() {
		this.runner.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ValueEncryptor.class));
	}

	@Test
	void keysFromPropertiesEncryptWithTheActiveOne() {
		this.runner
			.withPropertyValues("redis-patterns.encryption.keys.old=" + KEY,
					"redis-patterns.encryption.keys.new=" + Base64.getEncoder().encodeToString(new byte[16]),
					"redis-patterns.encryption.active-key=new")
			.run((context) -> {
				assertThat(context.getBean(KeyProvider.class).activeKey().id()).isEqualTo("new");
				assertThat(context.getBean(KeyProvider.class).key("old")).isNotNull();
				assertThat(context.getBean(ValueEncryptor.class).encrypt("x", "c")).startsWith("rpe1$new$");
			});
	}

	@Test
	void aKeyProviderBeanReplacesTheProperties() {
		this.runner
			.withBean(KeyProvider.class,
					() -> new StaticKeyProvider(List.of(EncryptionKey.aes("vault", new byte[32])), "vault"))
			.withPropertyValues("redis-patterns.encryption.keys.k1=" + KEY, "redis-patterns.encryption.active-key=k1")
			.run((context) -> assertThat(context.getBean(ValueEncryptor.class).encrypt("x", "c"))
				.startsWith("rpe1$vault$"));
	}

	@Test
	void aKeyThatIsNotBase64FailsStartUpNamingItsPropertyWithoutShowingIt() {
		this.runner
			.withPropertyValues("redis-patterns.encryption.keys.k1=not*base64!", "redis-patterns.encryption.active-key=k1")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.isInstanceOf(InvalidRedisPatternsPropertyException.class)
				.hasMessageContaining("redis-patterns.encryption.keys.k1")
				.hasMessageNotContaining("not*base64!"));
	}

	@Test
	void aKeyOfTheWrongLengthFailsStartUpNamingItsProperty() {
		this.runner
			.withPropertyValues("redis-patterns.encryption.keys.k1=" + Base64.getEncoder().encodeToString(new byte[20]),
					"redis-patterns.encryption.active-key=k1")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("redis-patterns.encryption.keys.k1")
				.hasMessageContaining("20 bytes"));
	}

	@Test
	void aMissingOrUnknownActiveKeyFailsStartUpNamingTheProperty() {
		this.runner.withPropertyValues("redis-patterns.encryption.keys.k1=" + KEY)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("redis-patterns.encryption.active-key"));
		this.runner.withPropertyValues("redis-patterns.encryption.keys.k1=" + KEY, "redis-patterns.encryption.active-key=k2")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("redis-patterns.encryption.active-key")
				.hasMessageContaining("k2"));
	}

}
