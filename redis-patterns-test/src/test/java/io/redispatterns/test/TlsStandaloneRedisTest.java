package io.redispatterns.test;

import javax.net.ssl.TrustManagerFactory;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SslOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.data.redis.autoconfigure.DataRedisConnectionDetails;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.core.StringRedisTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A standalone server with TLS: the embedded redis-server 7.0.15 is built with TLS, certificates
 * are generated at test time, and both ways Spring Boot connects (connection details with an SSL
 * bundle, and {@code spring.data.redis.ssl.bundle} properties) talk TLS to it.
 */
class TlsStandaloneRedisTest {

	private static StandaloneRedis redis;

	@BeforeAll
	static void start() {
		redis = EmbeddedRedis.standaloneTls();
	}

	@AfterAll
	static void stop() {
		redis.close();
	}

	@Test
	void lettuceConnectsOverTlsTrustingTheGeneratedCa() throws Exception {
		RedisClient client = RedisClient.create();
		try {
			TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trust.init(redis.tlsCertificates().trustStore());
			client.setOptions(io.lettuce.core.ClientOptions.builder()
				.sslOptions(SslOptions.builder().jdkSslProvider().trustManager(trust).build())
				.build());
			try (StatefulRedisConnection<String, String> connection = client.connect(RedisURI.create(redis.tlsUrl()))) {
				assertThat(connection.sync().ping()).isEqualTo("PONG");
			}
		}
		finally {
			client.shutdown();
		}
	}

	@Test
	void aClientThatDoesNotTrustTheCaIsRefused() {
		RedisClient client = RedisClient.create();
		try {
			assertThatExceptionOfType(RedisConnectionException.class)
				.isThrownBy(() -> client.connect(RedisURI.create(redis.tlsUrl())).close());
		}
		finally {
			client.shutdown();
		}
	}

	@Test
	void springBootConnectsOverTlsFromTheConnectionDetails() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(DataRedisAutoConfiguration.class))
			.withBean(DataRedisConnectionDetails.class, redis::connectionDetails)
			.run((context) -> assertSetAndGetWork(context.getBean(StringRedisTemplate.class)));
	}

	@Test
	void springBootConnectsOverTlsFromTheProperties() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, DataRedisAutoConfiguration.class))
			.withPropertyValues(redis.springProperties()
				.entrySet()
				.stream()
				.map((entry) -> entry.getKey() + "=" + entry.getValue())
				.toArray(String[]::new))
			.run((context) -> {
				assertThat(context.getEnvironment().getProperty("spring.data.redis.port"))
					.isEqualTo(Integer.toString(redis.tlsPort()));
				assertSetAndGetWork(context.getBean(StringRedisTemplate.class));
			});
	}

	private static void assertSetAndGetWork(StringRedisTemplate template) {
		template.opsForValue().set("tls:greeting", "hello");
		assertThat(template.opsForValue().get("tls:greeting")).isEqualTo("hello");
		// the plain port is the admin's: the value arrived through the TLS port
		String stored = redis.node().execute((commands) -> commands.get("tls:greeting"));
		assertThat(stored).isEqualTo("hello");
	}

}
