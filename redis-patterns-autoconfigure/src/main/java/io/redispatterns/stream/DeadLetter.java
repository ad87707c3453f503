package io.redispatterns.stream;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * An entry in a dead-letter stream.
 *
 * @param id the entry's id in the dead-letter stream
 * @param originalId the id the entry had in its stream
 * @param group the consumer group that gave up on it
 * @param error why: the handler's last exception, or the decoding problem
 * @param attempts deliveries made before it was dead-lettered
 * @param deadLetteredAt when, ISO-8601
 * @param payload the original JSON payload (may be malformed: that can be why it is here)
 * @param headers the original headers
 */
public record DeadLetter(String id, String originalId, String group, String error, int attempts,
		String deadLetteredAt, @Nullable String payload, Map<String, String> headers) {

}
