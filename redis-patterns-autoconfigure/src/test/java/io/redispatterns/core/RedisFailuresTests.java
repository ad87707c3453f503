package io.redispatterns.core;

import java.io.IOException;
import java.net.ConnectException;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisException;
import org.junit.jupiter.api.Test;

import org.springframework.dao.QueryTimeoutException;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.RedisSystemException;

import static org.assertj.core.api.Assertions.assertThat;

class RedisFailuresTests {

	@Test
	void connectFailureIsUnavailable() {
		Throwable failure = new RedisConnectionFailureException("Unable to connect to Redis",
				new RedisConnectionException("Unable to connect to localhost:1", new ConnectException("refused")));
		assertThat(RedisFailures.classify(failure)).isEqualTo(RedisFailureKind.UNAVAILABLE);
		assertThat(RedisFailures.translate("Acquiring lock x", failure)).isInstanceOf(RedisUnavailableException.class)
			.hasMessageContaining("Acquiring lock x")
			.hasMessageContaining("nothing was applied")
			.hasCause(failure);
	}

	@Test
	void commandRejectedWhileDisconnectedIsUnavailable() {
		Throwable failure = new RedisSystemException("Error",
				new RedisException("Currently not connected. Commands are rejected."));
		assertThat(RedisFailures.classify(failure)).isEqualTo(RedisFailureKind.UNAVAILABLE);
	}

	@Test
	void commandInFlightFailedWhenTheConnectionDroppedIsOutcomeUnknown() {
		Throwable failure = new RedisSystemException("Redis exception", new RedisException("Connection disconnected"));
		assertThat(RedisFailures.classify(failure)).isEqualTo(RedisFailureKind.OUTCOME_UNKNOWN);
	}

	@Test
	void timeoutIsOutcomeUnknown() {
		Throwable failure = new QueryTimeoutException("Redis command timed out",
				new RedisCommandTimeoutException("Command timed out after 1 second(s)"));
		assertThat(RedisFailures.classify(failure)).isEqualTo(RedisFailureKind.OUTCOME_UNKNOWN);
		assertThat(RedisFailures.translate("Publishing", failure)).isInstanceOf(RedisOutcomeUnknownException.class)
			.hasMessageContaining("outcome is unknown");
	}

	@Test
	void connectionResetUnderAnInFlightCommandIsOutcomeUnknown() {
		Throwable failure = new RedisSystemException("Unknown redis exception",
				new IOException("Connection reset by peer"));
		assertThat(RedisFailures.classify(failure)).isEqualTo(RedisFailureKind.OUTCOME_UNKNOWN);
		assertThat(RedisFailures.classify(new RedisException("Connection closed")))
			.isEqualTo(RedisFailureKind.OUTCOME_UNKNOWN);
	}

	@Test
	void errorRepliesGivenBeforeRunningAreUnavailable() {
		for (String reply : new String[] { "LOADING Redis is loading the dataset in memory",
				"READONLY You can't write against a read only replica.", "CLUSTERDOWN The cluster is down",
				"TRYAGAIN Multiple keys request during rehashing of slot", "MASTERDOWN Link with MASTER is down", "BUSY Redis is busy running a script.",
				"OOM command not allowed when used memory > 'maxmemory'." }) {
			assertThat(RedisFailures.classify(new RedisSystemException("Error", new RedisCommandExecutionException(reply))))
				.as(reply)
				.isEqualTo(RedisFailureKind.UNAVAILABLE);
		}
	}

	@Test
	void otherErrorRepliesAndApplicationErrorsAreNotRedisFaults() {
		assertThat(RedisFailures.classify(new RedisCommandExecutionException("NOPERM this user has no permissions")))
			.isEqualTo(RedisFailureKind.NOT_REDIS);
		assertThat(RedisFailures.classify(new RedisCommandExecutionException("ERR user_script:1: oops")))
			.isEqualTo(RedisFailureKind.NOT_REDIS);
		assertThat(RedisFailures.classify(
				new RedisCommandExecutionException("BUSYGROUP Consumer Group name already exists")))
			.isEqualTo(RedisFailureKind.NOT_REDIS);
		assertThat(RedisFailures.classify(new RedisCommandExecutionException("BUSYKEY Target key name already exists.")))
			.isEqualTo(RedisFailureKind.NOT_REDIS);
		IllegalArgumentException business = new IllegalArgumentException("sold out");
		assertThat(RedisFailures.classify(business)).isEqualTo(RedisFailureKind.NOT_REDIS);
		assertThat(RedisFailures.translate("Reserving", business)).isSameAs(business);
		assertThat(RedisFailures.isRedisFault(null)).isFalse();
	}

	@Test
	void alreadyTranslatedFailuresPassThrough() {
		RedisOutcomeUnknownException unknown = new RedisOutcomeUnknownException("x", new IOException("reset"));
		assertThat(RedisFailures.translate("again", unknown)).isSameAs(unknown);
		assertThat(RedisFailures.classify(new IllegalStateException("wrapped", unknown)))
			.isEqualTo(RedisFailureKind.OUTCOME_UNKNOWN);
	}

}
