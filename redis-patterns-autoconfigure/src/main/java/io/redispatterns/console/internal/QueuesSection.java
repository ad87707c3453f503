package io.redispatterns.console.internal;

import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

import io.redispatterns.console.ConsoleAction;
import io.redispatterns.console.ConsoleActionResult;
import io.redispatterns.console.ConsoleMetrics;
import io.redispatterns.console.ConsolePage;
import io.redispatterns.console.ConsoleRequestException;
import io.redispatterns.console.ConsoleSection;
import io.redispatterns.console.Html;
import io.redispatterns.queue.DeadJobs;
import io.redispatterns.queue.JobId;
import io.redispatterns.queue.JobQueues;
import io.redispatterns.queue.JobState;
import io.redispatterns.queue.JobStatus;
import io.redispatterns.queue.QueueDepths;
import io.redispatterns.queue.internal.QueueKeys;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * The queues page: each queue's depths per state, paused state and recent throughput; a queue's
 * jobs of one state a page at a time; a job's detail (payload, attempts, errors, timestamps).
 * Actions: pause/resume, retry one or every dead job, purge dead jobs, cancel a waiting job.
 * <p>
 * Job ids of a state are read a page at a time ({@code ZRANGE} with offsets) from the queue's
 * sorted sets, and the payload from the job's hash: the only reads beyond the queue's public API.
 */
public final class QueuesSection implements ConsoleSection {

	private static final List<String> STATES = List.of("waiting", "delayed", "active", "completed", "dead");

	private final JobQueues queues;

	private final DeadJobs deadJobs;

	private final QueueKeys keys;

	private final StringRedisTemplate redis;

	private final Supplier<Collection<String>> queueNames;

	private final ConsoleMetrics metrics;

	private final int pageSize;

	private final QueueJobIds jobIds;

	/**
	 * Creates the section.
	 * @param queues the job queues
	 * @param deadJobs their dead letters
	 * @param keys the queues' keys
	 * @param redis the template used for paged reads
	 * @param queueNames the queues this application knows (its handlers' queues)
	 * @param metrics throughput counts
	 * @param pageSize jobs per page
	 */
	public QueuesSection(JobQueues queues, DeadJobs deadJobs, QueueKeys keys, StringRedisTemplate redis,
			Supplier<Collection<String>> queueNames, ConsoleMetrics metrics, int pageSize) {
		this.queues = queues;
		this.deadJobs = deadJobs;
		this.keys = keys;
		this.redis = redis;
		this.queueNames = queueNames;
		this.metrics = metrics;
		this.pageSize = pageSize;
		this.jobIds = new QueueJobIds(keys, redis, pageSize);
	}

	@Override
	public String id() {
		return "queues";
	}

	@Override
	public String title() {
		return "Queues";
	}

	@Override
	public int order() {
		return 10;
	}

	@Override
	public void render(ConsolePage page) {
		List<String> path = page.path();
		if (path.isEmpty()) {
			renderQueues(page);
		}
		else if (path.size() == 1) {
			renderQueue(page, known(path.get(0)));
		}
		else if (path.size() == 3 && path.get(1).equals("jobs")) {
			renderJob(page, known(path.get(0)), jobId(path.get(2)));
		}
		else if (path.size() == 2 && path.get(1).equals("jobs") && page.param("id") != null) {
			// the "find a job" form
			renderJob(page, known(path.get(0)), jobId(page.param("id")));
		}
		else {
			throw new ConsoleRequestException(404, "No such queue page");
		}
	}

	private void renderQueues(ConsolePage page) {
		Html html = page.heading("Queues");
		Collection<String> names = this.queueNames.get();
		if (names.isEmpty()) {
			html.element("p", "This application has no job handlers, so it knows no queue.", "class", "muted");
			return;
		}
		Map<List<String>, ConsoleMetrics.Counts> outcomes = this.metrics.counts("redis.patterns.queue.jobs", "queue",
				"outcome");
		String recent = "last " + Html.millis(this.metrics.window().toMillis());
		html.table("Jobs per state", "Queue", "State", "Waiting", "Delayed", "Active", "Completed", "Dead",
				"Completed (" + recent + ")", "Failed attempts (" + recent + ")", "Dead (" + recent + ")");
		for (String name : names) {
			QueueDepths depths = this.queues.depths(name);
			html.open("tr").open("td").link(page.url(name), name).close("td");
			html.element("td", depths.paused() ? "paused" : "running", "class", depths.paused() ? "paused" : null);
			number(html, depths.waiting());
			number(html, depths.delayed());
			number(html, depths.active());
			number(html, depths.completed());
			number(html, depths.dead());
			number(html, recent(outcomes, name, "completed"));
			number(html, recent(outcomes, name, "failed"));
			number(html, recent(outcomes, name, "dead"));
			html.close("tr");
		}
		html.endTable();
		if (this.metrics == ConsoleMetrics.NONE) {
			html.element("p", "Throughput needs Micrometer (a MeterRegistry bean).", "class", "muted");
		}
	}

	private static @Nullable Long recent(Map<List<String>, ConsoleMetrics.Counts> outcomes, String queue,
			String outcome) {
		ConsoleMetrics.Counts counts = outcomes.get(List.of(queue, outcome));
		return (counts != null) ? counts.recent() : null;
	}

	private static void number(Html html, @Nullable Long value) {
		html.element("td", (value != null) ? value : "–", "class", "num");
	}

	private void renderQueue(ConsolePage page, String queue) {
		Html html = page.heading("Queue " + queue);
		QueueDepths depths = this.queues.depths(queue);
		html.open("dl")
			.entry("State", depths.paused() ? "paused: workers take no job" : "running")
			.entry("Waiting", depths.waiting())
			.entry("Delayed (incl. retrying)", depths.delayed())
			.entry("Active", depths.active())
			.entry("Completed (kept)", depths.completed())
			.entry("Dead", depths.dead())
			.close("dl");
		if (depths.paused()) {
			page.actionForm("resume", "Resume queue " + queue, null, "queue", queue);
		}
		else {
			page.actionForm("pause", "Pause queue " + queue, null, "queue", queue);
		}
		if (depths.dead() > 0) {
			page.actionForm("retry-all-dead", "Retry all " + depths.dead() + " dead jobs",
					"Retry all " + depths.dead() + " dead jobs of " + queue + "?", "queue", queue);
			page.actionForm("purge-dead", "Purge all " + depths.dead() + " dead jobs",
					"Delete all " + depths.dead() + " dead jobs of " + queue + " for good?", "queue", queue);
		}
		html.open("form", "method", "get", "action", page.url(queue, "jobs"), "class", "inline", "id", "find-job");
		html.element("label", "Job id", "for", "job-id");
		html.open("input", "type", "search", "id", "job-id", "name", "id", "required", "required");
		html.element("button", "Show job", "type", "submit").close("form");

		String requested = page.param("state");
		String state = (requested != null && STATES.contains(requested)) ? requested : "dead";
		html.open("nav", "aria-label", "Job states").open("ul", "class", "pager");
		for (String candidate : STATES) {
			html.open("li")
				.element("a", candidate, "href", ConsolePage.query(page.url(queue), "state", candidate), "aria-current",
						candidate.equals(state) ? "page" : null)
				.close("li");
		}
		html.close("ul").close("nav");
		long total = switch (state) {
			case "waiting" -> depths.waiting();
			case "delayed" -> depths.delayed();
			case "active" -> depths.active();
			case "completed" -> depths.completed();
			default -> depths.dead();
		};
		int pageNumber = page.intParam("page", 0, 100_000);
		long offset = (long) pageNumber * this.pageSize;
		html.element("h2", capitalize(state) + " jobs");
		List<String> ids = this.jobIds.page(queue, state, offset, depths.paused());
		if (ids.isEmpty()) {
			html.element("p", "No " + state + " jobs" + ((offset > 0) ? " on this page." : "."), "class", "muted");
		}
		else {
			html.table(capitalize(state) + " jobs " + (offset + 1) + "–" + (offset + ids.size()) + " of " + total,
					"Job", "Name", "Attempts", "Created", "Finished", "Error", "Actions");
			for (String id : ids) {
				JobStatus status = this.queues.status(queue, JobId.of(id));
				html.open("tr").open("td").link(page.url(queue, "jobs", id), id).close("td");
				if (status == null) {
					html.element("td", "(removed meanwhile)").close("tr");
					continue;
				}
				html.element("td", status.name());
				html.element("td", attempts(status), "class", "num");
				html.element("td", Html.time(status.createdAt()));
				html.element("td", Html.time(status.finishedAt()));
				html.element("td", shorten(status.error()));
				html.open("td");
				jobActions(page, queue, id, status.state());
				html.close("td").close("tr");
			}
			html.endTable();
		}
		html.open("p", "class", "pager");
		if (pageNumber > 0) {
			html.link(ConsolePage.query(page.url(queue), "state", state, "page", Integer.toString(pageNumber - 1)),
					"Previous page");
		}
		if (offset + ids.size() < total) {
			html.link(ConsolePage.query(page.url(queue), "state", state, "page", Integer.toString(pageNumber + 1)),
					"Next page");
		}
		html.close("p");
	}

	private void jobActions(ConsolePage page, String queue, String id, JobState state) {
		if (state == JobState.DEAD) {
			page.actionForm("retry", "Retry job " + id, null, "queue", queue, "id", id);
		}
		if (state == JobState.WAITING || state == JobState.DELAYED) {
			page.actionForm("cancel", "Cancel job " + id, null, "queue", queue, "id", id);
		}
	}

	private void renderJob(ConsolePage page, String queue, JobId id) {
		JobStatus status = this.queues.status(queue, id);
		if (status == null) {
			page.heading("Job " + id.value());
			page.html()
				.element("p", "No job " + id.value() + " in " + queue
						+ ": unknown, cancelled or removed by the queue's retention.", "class", "muted");
			page.html().link(page.url(queue), "Back to queue " + queue);
			return;
		}
		Html html = page.heading("Job " + id.value());
		html.open("p").link(page.url(queue), "Back to queue " + queue).close("p");
		html.open("dl")
			.entry("Queue", queue)
			.entry("Name", status.name())
			.entry("State", status.state().name().toLowerCase(Locale.ROOT).replace('_', ' '))
			.entry("Attempts", attempts(status))
			.entry("Created", Html.time(status.createdAt()))
			.entry("Started", Html.time(status.startedAt()))
			.entry("Finished", Html.time(status.finishedAt()))
			.entry("Progress", (status.progress() != null) ? status.progress() : "–")
			.close("dl");
		jobActions(page, queue, id.value(), status.state());
		html.element("h2", "Payload");
		Object payload = this.redis.opsForHash().get(this.keys.job(queue, id.value()), "d");
		html.element("pre", (payload != null) ? payload : "(none)");
		if (status.error() != null) {
			html.element("h2", "Last error");
			html.element("pre", status.error());
		}
		if (status.resultJson() != null) {
			html.element("h2", "Result");
			html.element("pre", status.resultJson());
		}
		html.element("h2", "History");
		if (status.history().isEmpty()) {
			html.element("p", "No attempt has failed.", "class", "muted");
		}
		else {
			html.open("ol");
			for (String line : status.history()) {
				html.element("li", line);
			}
			html.close("ol");
		}
	}

	@Override
	public ConsoleActionResult act(ConsoleAction action) {
		String queue = known(action.require("queue"));
		return switch (action.name()) {
			case "pause" -> {
				this.queues.pause(queue);
				yield ConsoleActionResult.of("Paused queue " + queue, queue);
			}
			case "resume" -> {
				this.queues.resume(queue);
				yield ConsoleActionResult.of("Resumed queue " + queue, queue);
			}
			case "retry" -> {
				JobId id = jobId(action.require("id"));
				boolean retried = this.deadJobs.retry(queue, id);
				yield ConsoleActionResult.of(retried ? "Retried job " + id.value() + " of " + queue
						: "Job " + id.value() + " was not dead: nothing retried", queue, "jobs", id.value());
			}
			case "cancel" -> {
				JobId id = jobId(action.require("id"));
				boolean cancelled = this.queues.cancel(queue, id);
				yield ConsoleActionResult.of(cancelled ? "Cancelled job " + id.value() + " of " + queue
						: "Job " + id.value() + " was not waiting or delayed: nothing cancelled", queue);
			}
			case "retry-all-dead" -> {
				action.requireConfirmation();
				// DeadJobs moves them in bounded batches, one script per batch
				long moved = this.deadJobs.retryAll(queue);
				yield ConsoleActionResult.of("Retried " + moved + " dead jobs of " + queue, queue);
			}
			case "purge-dead" -> {
				action.requireConfirmation();
				long deleted = this.deadJobs.purge(queue);
				yield ConsoleActionResult.of("Purged " + deleted + " dead jobs of " + queue, queue);
			}
			default -> throw new ConsoleRequestException(404, "No queue action '" + action.name() + "'");
		};
	}

	private String known(String queue) {
		if (!this.queueNames.get().contains(queue)) {
			throw new ConsoleRequestException(404, "No queue '" + queue + "' in this application");
		}
		return queue;
	}

	private static JobId jobId(String value) {
		try {
			return JobId.of(value.trim());
		}
		catch (IllegalArgumentException ex) {
			throw new ConsoleRequestException(400, Objects.requireNonNullElse(ex.getMessage(), "not a job id"));
		}
	}

	/** The most attempts is stored only when a job has its own. */
	private static String attempts(JobStatus status) {
		return (status.maxAttempts() > 0) ? status.attempts() + " of " + status.maxAttempts()
				: Integer.toString(status.attempts());
	}

	private static String capitalize(String text) {
		return Character.toUpperCase(text.charAt(0)) + text.substring(1);
	}

	private static @Nullable String shorten(@Nullable String text) {
		return (text != null && text.length() > 120) ? text.substring(0, 120) + "…" : text;
	}

}
