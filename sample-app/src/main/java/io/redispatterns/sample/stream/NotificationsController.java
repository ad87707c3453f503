package io.redispatterns.sample.stream;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.data.redis.annotation.RedisListener;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Streams the {@code notifications} pub/sub channel to browsers as server-sent events. Pub/sub is
 * fire-and-forget: a client that is not connected misses the notifications sent meanwhile.
 * <p>
 * An open event stream is a request that never ends by itself: the streams are completed when the
 * application begins to shut down, so the web server's graceful shutdown does not wait for them until
 * its timeout (browsers reconnect to another instance).
 */
@RestController
class NotificationsController {

	private final List<SseEmitter> emitters = new CopyOnWriteArrayList<>();

	@GetMapping(path = "/api/notifications/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter stream() {
		SseEmitter emitter = new SseEmitter(0L);
		this.emitters.add(emitter);
		emitter.onCompletion(() -> this.emitters.remove(emitter));
		emitter.onTimeout(() -> this.emitters.remove(emitter));
		emitter.onError((ex) -> this.emitters.remove(emitter));
		return emitter;
	}

	int openStreams() {
		return this.emitters.size();
	}

	@EventListener(ContextClosedEvent.class)
	void completeStreams() {
		for (SseEmitter emitter : this.emitters) {
			emitter.complete();
		}
		this.emitters.clear();
	}

	@RedisListener(topic = "${redis-patterns.pubsub.channel-prefix}notifications")
	void on(Notification notification) {
		for (SseEmitter emitter : this.emitters) {
			try {
				emitter.send(SseEmitter.event().name("notification").data(notification, MediaType.APPLICATION_JSON));
			}
			catch (IOException | IllegalStateException ex) {
				this.emitters.remove(emitter);
			}
		}
	}

}
