package io.redispatterns.session.internal;

import java.util.List;

import io.redispatterns.core.RedisKeys;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Session keys built from the namespace escaped in advance are exactly the keys {@link RedisKeys#tagged} builds, for
 * ids with and without a lineage and for ids that need escaping or a length cap.
 */
class SessionKeysTests {

	@Test
	void keysMatchTheGeneralKeyBuilder() {
		for (String prefix : List.of("app", "my-app.v2")) {
			RedisKeys redisKeys = new RedisKeys(prefix);
			SessionKeys keys = new SessionKeys(redisKeys);
			String generated = keys.newId(null);
			for (String id : List.of(generated, keys.newId(generated), "no-lineage", ".leading-dot", "a.b.c",
					"sp ace:colon*glob{brace}.s\u00e9cret", "x".repeat(200) + "." + "y".repeat(200))) {
				int dot = id.indexOf('.');
				String expectedSession = (dot <= 0) ? redisKeys.tagged("session", "id", id)
						: redisKeys.tagged("session", "id", id.substring(0, dot), id.substring(dot + 1));
				String expectedTombstone = (dot <= 0) ? redisKeys.tagged("session", "moved", id)
						: redisKeys.tagged("session", "moved", id.substring(0, dot), id.substring(dot + 1));
				assertThat(keys.session(id)).as(id).isEqualTo(expectedSession);
				assertThat(keys.tombstone(id)).as(id).isEqualTo(expectedTombstone);
			}
		}
	}

	@Test
	void sessionKeyHasTheDocumentedShape() {
		SessionKeys keys = new SessionKeys(new RedisKeys("app"));
		assertThat(keys.session("0011aabb.c0ffee")).isEqualTo("app:session:id:{0011aabb}:c0ffee");
		assertThat(keys.tombstone("0011aabb.c0ffee")).isEqualTo("app:session:moved:{0011aabb}:c0ffee");
	}

}
