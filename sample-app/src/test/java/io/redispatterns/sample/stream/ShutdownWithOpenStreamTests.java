package io.redispatterns.sample.stream;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.redispatterns.sample.SampleApplication;
import io.redispatterns.test.EmbeddedRedisConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * An open server-sent event stream does not hold the sample's shutdown: the stream is completed when
 * shutdown begins, and the web server's graceful shutdown completes instead of running into its timeout.
 */
@ExtendWith(OutputCaptureExtension.class)
class ShutdownWithOpenStreamTests {

	@Test
	void openEventStreamIsCompletedAndGracefulShutdownCompletes(CapturedOutput output) throws Exception {
		ConfigurableApplicationContext context = SpringApplication.from(SampleApplication::main)
			.with(EmbeddedRedisConfiguration.class)
			.run("--server.port=0", "--spring.lifecycle.timeout-per-shutdown-phase=20s")
			.getApplicationContext();
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		CompletableFuture<HttpResponse<String>> stream = HttpClient.newHttpClient()
			.sendAsync(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/api/notifications/stream"))
				.header("Accept", "text/event-stream")
				.build(), HttpResponse.BodyHandlers.ofString());
		NotificationsController notifications = context.getBean(NotificationsController.class);
		await().atMost(Duration.ofSeconds(30)).until(() -> notifications.openStreams() == 1);
		context.close();
		assertThat(stream.get(30, TimeUnit.SECONDS).statusCode()).as("the stream was completed").isEqualTo(200);
		await().atMost(Duration.ofSeconds(10)).until(() -> output.getOut().contains("Graceful shutdown complete"));
		assertThat(output.getOut()).doesNotContain("Graceful shutdown aborted");
	}

}
