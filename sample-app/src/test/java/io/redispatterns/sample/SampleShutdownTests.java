package io.redispatterns.sample;

import java.util.List;
import java.util.stream.Collectors;

import io.redispatterns.test.EmbeddedRedisConfiguration;
import io.redispatterns.test.StandaloneRedis;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.MockMvcPrint;
import org.springframework.boot.webmvc.test.autoconfigure.SpringBootMockMvcBuilderCustomizer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.DefaultMockMvcBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample, run as {@link TestSampleApplication} runs it (with a throw-away {@code redis-server}), used through
 * every pattern, then closed: everything that uses Redis stops before the connection factory, and the embedded
 * server after everything, so the close logs no warning or error (no {@code Connection is already closed}, no
 * reconnect attempt). Before the library stopped its own connections ahead of the connection factory, this close
 * logged {@code Connection is already closed} twice (the lock wake-ups, the cache's loader wake-ups).
 * <p>
 * Tagged {@code faults} for its cost only (about 25 s here, mostly the sample's start-up): {@code ShutdownOrderTests}
 * checks the same order on an auto-configured context in the normal suite.
 */
@Tag("faults")
@ExtendWith(OutputCaptureExtension.class)
class SampleShutdownTests {

	private static final String CLOSING = "[sample-shutdown] closing the application";

	@Test
	void closingTheSampleAfterEveryPatternLogsNoWarningOrError(CapturedOutput output) throws Exception {
		ConfigurableApplicationContext context = SpringApplication.from(SampleApplication::main)
			.with(EmbeddedRedisConfiguration.class)
			.run("--server.port=0")
			.getApplicationContext();
		try {
			StandaloneRedis server = context.getBean(StandaloneRedis.class);
			AllPatternsWalkthrough walkthrough = new AllPatternsWalkthrough(mockMvc((WebApplicationContext) context),
					context, (key) -> server.node());
			walkthrough.healthAndEndpoint();
			walkthrough.cache();
			walkthrough.pageViews();
			walkthrough.rateLimit();
			walkthrough.locks();
			walkthrough.streamsAndPubSub();
			walkthrough.jobQueue();
			walkthrough.sessions();
			walkthrough.leaderboardAndKeyspace();
			System.out.println(CLOSING);
		}
		finally {
			context.close();
		}
		String closing = output.getOut().substring(output.getOut().indexOf(CLOSING));
		List<String> complaints = closing.lines()
			.filter((line) -> line.contains(" WARN ") || line.contains(" ERROR ")
					|| line.contains("Connection is already closed") || line.contains("RejectedExecutionException"))
			.toList();
		assertThat(complaints).as("lines logged while the application closed:%n%s",
				complaints.stream().collect(Collectors.joining(System.lineSeparator())))
			.isEmpty();
	}

	/** MockMvc with the application's servlet filters (security, session, page views), as {@code @AutoConfigureMockMvc} builds it. */
	private static MockMvc mockMvc(WebApplicationContext context) {
		DefaultMockMvcBuilder builder = MockMvcBuilders.webAppContextSetup(context);
		SpringBootMockMvcBuilderCustomizer customizer = new SpringBootMockMvcBuilderCustomizer(context);
		customizer.setPrint(MockMvcPrint.NONE);
		customizer.customize(builder);
		return builder.build();
	}

}
