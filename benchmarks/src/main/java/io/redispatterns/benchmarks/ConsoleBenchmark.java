package io.redispatterns.benchmarks;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.redispatterns.queue.JobId;
import io.redispatterns.queue.JobOptions;
import io.redispatterns.queue.JobQueues;
import io.redispatterns.queue.QueueDepths;
import io.redispatterns.queue.RedisJobHandler;
import io.redispatterns.stream.RedisStreamListener;
import io.redispatterns.stream.StreamHeaders;
import io.redispatterns.stream.internal.StreamKeys;
import io.redispatterns.test.CommandCalls;
import io.redispatterns.test.StandaloneRedis;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Page loads of the operator console with a large backlog: a queue of 100,000 waiting jobs (plus
 * dead and completed ones) and a stream of 100,000 entries with a consumer group, 10,000 pending
 * entries and 1,000 dead letters. The console runs in an embedded Tomcat (no Spring Security); each
 * page is requested over loopback HTTP, warmed up, then timed {@code bench.console-requests} times
 * (default 20), and its Redis commands counted with {@code INFO commandstats}.
 */
final class ConsoleBenchmark {

	static final String QUEUE = "bench-console";

	static final String STREAM = "bench-orders";

	static final int JOBS = Integer.getInteger("bench.console-jobs", 100_000);

	static final int ENTRIES = Integer.getInteger("bench.console-entries", 100_000);

	static final int PENDING = 10_000;

	static final int DEAD_LETTERS = 1_000;

	static final int FINISHED = 1_000;

	static final int REQUESTS = Integer.getInteger("bench.console-requests", 20);

	private ConsoleBenchmark() {
	}

	/** A handler that completes jobs whose payload starts with "ok" and fails the others (one attempt: dead). */
	@Configuration(proxyBeanMethods = false)
	static class Handlers {

		@Bean
		Object consoleJobs() {
			return new Object() {
				@RedisJobHandler(queue = QUEUE, maxAttempts = 1)
				void run(String payload) {
					if (!payload.startsWith("ok")) {
						throw new IllegalStateException("Report failed: " + payload);
					}
				}
			};
		}

		@Bean
		Object consoleListener() {
			return new Object() {
				@RedisStreamListener(stream = STREAM, group = "billing", id = "billing", autoStartup = "false")
				void on(String payload) {
				}
			};
		}

	}

	static String run(StandaloneRedis redis, CommandCounter counter) {
		Map<String, Object> properties = new LinkedHashMap<>(redis.springProperties());
		properties.put("redis-patterns.embedded.enabled", "false");
		properties.put("spring.data.redis.timeout", "10s");
		properties.put("logging.level.root", "WARN");
		properties.put("server.port", "0");
		properties.put("redis-patterns.console.enabled", "true");
		properties.put("redis-patterns.console.actions-enabled", "true");
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(BenchmarkApplication.class)
			.sources(Handlers.class)
			.web(WebApplicationType.SERVLET)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties(properties)
			.run();
				RedisClient client = RedisClient.create(redis.node().uri())) {
			JobQueues queues = context.getBean(JobQueues.class);
			String jobId = seedQueue(queues);
			seedStream(client, context.getBean(StreamKeys.class));
			int port = Integer.parseInt(context.getEnvironment().getProperty("local.server.port", "8080"));
			String base = "http://localhost:" + port + "/redis-patterns";
			Map<String, String> pages = new LinkedHashMap<>();
			pages.put("overview", "");
			pages.put("queues overview", "/queues");
			pages.put("queue, dead jobs (default tab)", "/queues/" + QUEUE);
			pages.put("queue, waiting jobs, first page", "/queues/" + QUEUE + "?state=waiting");
			pages.put("queue, waiting jobs, page 1,000", "/queues/" + QUEUE + "?state=waiting&page=1000");
			pages.put("job detail", "/queues/" + QUEUE + "/jobs/" + jobId);
			pages.put("streams", "/streams");
			pages.put("stream: groups, pending, dead letters", "/streams/" + STREAM);
			pages.put("locks", "/locks");
			pages.put("rate limits", "/rate-limits");
			pages.put("caches", "/caches");
			pages.put("sessions of a principal", "/sessions?principal=alice");
			return measure(base, pages, counter);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Console benchmark failed", ex);
		}
	}

	private static String seedQueue(JobQueues queues) throws InterruptedException {
		System.out.println("  seeding " + FINISHED + " completed, " + FINISHED + " dead and " + JOBS + " waiting jobs");
		List<String> finished = new ArrayList<>();
		for (int i = 0; i < FINISHED; i++) {
			finished.add(((i % 2 == 0) ? "ok-" : "fail-") + i);
		}
		queues.enqueueAll(QUEUE, JobQueues.DEFAULT_NAME, finished, JobOptions.defaults());
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
		QueueDepths depths = queues.depths(QUEUE);
		while (depths.waiting() + depths.active() > 0) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("finished jobs not handled: " + depths);
			}
			Thread.sleep(50);
			depths = queues.depths(QUEUE);
		}
		// paused, so that the handler leaves the backlog waiting
		queues.pause(QUEUE);
		List<String> batch = new ArrayList<>();
		for (int i = 0; i < 1000; i++) {
			batch.add("{\"to\":\"someone@example.com\",\"subject\":\"Report " + i + "\"}");
		}
		List<JobId> ids = List.of();
		for (int i = 0; i < JOBS; i += batch.size()) {
			ids = queues.enqueueAll(QUEUE, JobQueues.DEFAULT_NAME, batch, JobOptions.defaults());
		}
		System.out.println("  queue depths: " + queues.depths(QUEUE));
		return ids.get(ids.size() / 2).value();
	}

	private static void seedStream(RedisClient client, StreamKeys keys) throws Exception {
		System.out.println("  seeding " + ENTRIES + " stream entries, " + PENDING + " pending, " + DEAD_LETTERS
				+ " dead letters");
		String stream = keys.stream(STREAM);
		String dead = keys.deadLetters(STREAM);
		try (StatefulRedisConnection<String, String> connection = client.connect()) {
			RedisAsyncCommands<String, String> async = connection.async();
			List<RedisFuture<String>> sent = new ArrayList<>();
			for (int i = 0; i < ENTRIES; i++) {
				sent.add(async.xadd(stream, entry(i)));
				if (sent.size() == 1000) {
					await(sent);
				}
			}
			for (int i = 0; i < DEAD_LETTERS; i++) {
				Map<String, String> fields = entry(i);
				fields.put(StreamHeaders.DEAD_LETTER_PREFIX + "original-id", "0-" + (i + 1));
				fields.put(StreamHeaders.DEAD_LETTER_PREFIX + "group", "billing");
				fields.put(StreamHeaders.DEAD_LETTER_PREFIX + "consumer", "bench-consumer");
				fields.put(StreamHeaders.DEAD_LETTER_PREFIX + "error", "java.lang.IllegalStateException: card declined");
				fields.put(StreamHeaders.DEAD_LETTER_PREFIX + "attempts", "3");
				fields.put(StreamHeaders.DEAD_LETTER_PREFIX + "at", Long.toString(System.currentTimeMillis()));
				sent.add(async.xadd(dead, fields));
				if (sent.size() == 1000) {
					await(sent);
				}
			}
			await(sent);
			RedisCommands<String, String> sync = connection.sync();
			sync.xgroupCreate(XReadArgs.StreamOffset.from(stream, "0"), "billing");
			for (int consumer = 0; consumer < 4; consumer++) {
				List<StreamMessage<String, String>> read = sync.xreadgroup(
						io.lettuce.core.Consumer.from("billing", "instance-" + consumer),
						XReadArgs.Builder.count(PENDING / 4), XReadArgs.StreamOffset.lastConsumed(stream));
				if (read.size() != PENDING / 4) {
					throw new IllegalStateException("read " + read.size());
				}
			}
			System.out.println("  stream length " + sync.xlen(stream) + ", dead letters " + sync.xlen(dead));
		}
	}

	private static Map<String, String> entry(int i) {
		Map<String, String> fields = new LinkedHashMap<>();
		fields.put(StreamHeaders.PAYLOAD, "{\"order\":" + i + ",\"amount\":\"12.50\"}");
		fields.put(StreamHeaders.TYPE, "java.lang.String");
		fields.put(StreamHeaders.MESSAGE_ID, "m-" + i);
		fields.put(StreamHeaders.PUBLISHED_AT, Long.toString(System.currentTimeMillis()));
		return fields;
	}

	private static void await(List<RedisFuture<String>> sent) throws Exception {
		for (RedisFuture<String> future : sent) {
			future.get(1, TimeUnit.MINUTES);
		}
		sent.clear();
	}

	private static String measure(String base, Map<String, String> pages, CommandCounter counter) throws Exception {
		HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
		StringBuilder out = new StringBuilder();
		out.append(String.format(Locale.ROOT,
				"%n### Operator console page loads: %,d waiting jobs, %,d stream entries (%,d pending, %,d dead letters)%n%n",
				JOBS, ENTRIES, PENDING, DEAD_LETTERS));
		out.append("| page | path | status | bytes | p50 ms | p99 ms | max ms | Redis commands per load | commands (INFO commandstats, one load) |\n");
		out.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
		for (Map.Entry<String, String> page : pages.entrySet()) {
			URI uri = URI.create(base + page.getValue());
			HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60)).GET().build();
			HttpResponse<String> response = null;
			for (int i = 0; i < 5; i++) {
				response = http.send(request, HttpResponse.BodyHandlers.ofString());
			}
			CommandCalls before = counter.commandStats();
			response = http.send(request, HttpResponse.BodyHandlers.ofString());
			CommandCalls calls = counter.commandStats().since(before);
			List<Long> micros = new ArrayList<>();
			for (int i = 0; i < REQUESTS; i++) {
				long start = System.nanoTime();
				http.send(request, HttpResponse.BodyHandlers.ofString());
				micros.add((System.nanoTime() - start) / 1000);
			}
			micros.sort(null);
			long p50 = micros.get(micros.size() / 2);
			long p99 = micros.get((int) Math.min(micros.size() - 1, Math.ceil(micros.size() * 0.99) - 1));
			String line = String.format(Locale.ROOT, "| %s | `%s` | %d | %,d | %.1f | %.1f | %.1f | %d | %s |%n",
					page.getKey(), page.getValue().isEmpty() ? "/" : page.getValue().replaceAll("/jobs/.*", "/jobs/<id>"),
					response.statusCode(), response.body().length(), p50 / 1000.0, p99 / 1000.0,
					micros.get(micros.size() - 1) / 1000.0, calls.total(), calls.asMap());
			System.out.print(line);
			out.append(line);
		}
		out.append(String.format(Locale.ROOT,
				"%nTime: client-side over loopback HTTP (embedded Tomcat, HTTP/1.1 keep-alive), %d requests per page after 5 warm-up requests; "
						+ "with %d requests the p99 is their maximum. Commands: one page load, `INFO commandstats` difference "
						+ "(`INFO`, `PING`, `ECHO`, `HELLO` left out; the job queue's own polling is paused, the stream listener not started).%n",
				REQUESTS, REQUESTS));
		return out.toString();
	}

}
