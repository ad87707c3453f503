package io.redispatterns.sample;

import io.redispatterns.test.EmbeddedRedis;
import io.redispatterns.test.StandaloneRedis;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole sample over TLS, configured the way the README documents it: {@code spring.data.redis.port}
 * of the server's TLS port, {@code spring.data.redis.ssl.bundle} naming a PEM bundle that trusts the
 * server's CA. Every pattern, the health indicators and the endpoint work; the server counts TLS
 * connections only.
 * <p>
 * The server is this class's own; the context is closed after the class, the server when the JVM
 * exits (redis-patterns-test's shutdown hook), so the context never sees it disappear.
 */
@SpringBootTest
@AutoConfigureMockMvc
@DirtiesContext
class TlsTests {

	private static StandaloneRedis redis;

	@Autowired
	private MockMvc mvc;

	@Autowired
	private ConfigurableApplicationContext context;

	@DynamicPropertySource
	static void tls(DynamicPropertyRegistry registry) {
		redis = EmbeddedRedis.standaloneTls();
		redis.springProperties().forEach((name, value) -> registry.add(name, () -> value));
	}

	@Test
	void everyPatternHealthAndTheEndpointWorkOverTls() throws Exception {
		assertThat(this.context.getEnvironment().getProperty("spring.data.redis.ssl.bundle")).isNotBlank();
		AllPatternsWalkthrough walkthrough = new AllPatternsWalkthrough(this.mvc, this.context, (key) -> redis.node());
		walkthrough.healthAndEndpoint();
		walkthrough.cache();
		walkthrough.rateLimit();
		walkthrough.locks();
		walkthrough.streamsAndPubSub();
		walkthrough.jobQueue();
		walkthrough.sessions();
		walkthrough.leaderboardAndKeyspace();
		// every connection but this test's admin connection (the one listing clients) came in
		// through the TLS port: laddr is the server's end of each connection
		String clients = redis.node().execute((commands) -> commands.clientList());
		System.out.println("[measure] connections to the server:\n" + clients);
		assertThat(clients.lines().filter((line) -> line.contains(" laddr=127.0.0.1:" + redis.tlsPort() + " ")))
			.as("connections through the TLS port").hasSizeGreaterThanOrEqualTo(2);
		assertThat(clients.lines().filter((line) -> !line.contains(" laddr=127.0.0.1:" + redis.tlsPort() + " ")))
			.as("connections through the plain port").singleElement().asString().contains("cmd=client|list");
	}

}
