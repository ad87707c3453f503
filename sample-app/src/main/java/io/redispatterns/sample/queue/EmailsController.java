package io.redispatterns.sample.queue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.redispatterns.queue.DeadJob;
import io.redispatterns.queue.DeadJobs;
import io.redispatterns.queue.JobId;
import io.redispatterns.queue.JobOptions;
import io.redispatterns.queue.JobQueues;
import io.redispatterns.queue.JobStatus;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Enqueues e-mail jobs and shows their state, the queue's statistics and its dead letters.
 */
@RestController
@RequestMapping("/api/emails")
class EmailsController {

	/** How long {@code POST /api/emails?delay=...} may delay a job. */
	static final Duration MAX_DELAY = Duration.ofDays(1);

	private final JobQueues jobs;

	private final DeadJobs deadJobs;

	private final EmailStats stats;

	EmailsController(JobQueues jobs, DeadJobs deadJobs, EmailStats stats) {
		this.jobs = jobs;
		this.deadJobs = deadJobs;
		this.stats = stats;
	}

	record NewEmail(@Nullable String to, @Nullable String subject, @Nullable Integer failTimes) {
	}

	@PostMapping
	@ResponseStatus(HttpStatus.ACCEPTED)
	Map<String, String> enqueue(@RequestBody NewEmail email, @RequestParam(required = false) @Nullable String delay) {
		if (email.to() == null || email.to().isBlank()) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "to is required");
		}
		JobOptions options = JobOptions.defaults();
		if (delay != null) {
			Duration parsed;
			try {
				parsed = DurationStyle.detectAndParse(delay);
			}
			catch (IllegalArgumentException ex) {
				throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "delay must be a duration such as 5s");
			}
			if (parsed.isNegative() || parsed.compareTo(MAX_DELAY) > 0) {
				throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "delay must be between 0 and " + MAX_DELAY);
			}
			options = JobOptions.delay(parsed);
		}
		SendEmail job = new SendEmail(email.to(), (email.subject() != null) ? email.subject() : "", (email.failTimes() != null) ? email.failTimes() : 0);
		JobId id = this.jobs.enqueue(EmailSender.QUEUE, job, options);
		this.stats.enqueued.incrementAndGet();
		return Map.of("id", id.value());
	}

	@GetMapping("/{id}")
	Map<String, Object> status(@PathVariable String id) {
		JobStatus status;
		try {
			status = this.jobs.status(EmailSender.QUEUE, JobId.of(id));
		}
		catch (IllegalArgumentException ex) {
			status = null;
		}
		if (status == null) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No e-mail job " + id);
		}
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("id", status.id().value());
		body.put("state", status.state().name().toLowerCase(java.util.Locale.ROOT));
		body.put("attempts", status.attempts());
		body.put("progress", status.progress());
		body.put("result", status.resultJson());
		body.put("error", status.error());
		body.put("history", status.history());
		body.put("createdAt", status.createdAt());
		body.put("startedAt", status.startedAt());
		body.put("finishedAt", status.finishedAt());
		return body;
	}

	@GetMapping("/stats")
	Map<String, Long> stats() {
		return Map.of("enqueued", this.stats.enqueued.get(), "completed", (long) this.stats.completed.size(), "dead",
				this.deadJobs.count(EmailSender.QUEUE), "retried", (long) this.stats.retried.size());
	}

	@GetMapping("/dead")
	List<DeadJob> dead() {
		return this.deadJobs.list(EmailSender.QUEUE, 100);
	}

	@PostMapping("/dead/retry")
	Map<String, Long> retryDead() {
		return Map.of("retried", this.deadJobs.retryAll(EmailSender.QUEUE));
	}

}
