package io.redispatterns.sample.transaction;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * Wallet transfers with optimistic transactions, against the embedded Redis default: eight
 * concurrent transfers move exactly the deposited amount, and an overdraft answers 409.
 */
@SpringBootTest
@AutoConfigureMockMvc
class WalletTransferTests {

	@Autowired
	private MockMvc mvc;

	@Test
	void concurrentTransfersMoveExactlyTheBalanceAndAnOverdraftIsRefused() throws Exception {
		String a = "a-" + UUID.randomUUID();
		String b = "b-" + UUID.randomUUID();
		this.mvc.perform(post("/api/wallets/" + a + "/deposit").contentType(MediaType.APPLICATION_JSON)
			.content("{\"amount\":80}")).andExpect(status().isOk()).andExpect(jsonPath("$.balance").value(80));
		ExecutorService executor = Executors.newFixedThreadPool(8);
		try {
			List<Future<Integer>> transfers = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				transfers.add(executor.submit(() -> this.mvc
					.perform(post("/api/wallets/transfer").contentType(MediaType.APPLICATION_JSON)
						.content("{\"from\":\"" + a + "\",\"to\":\"" + b + "\",\"amount\":10}"))
					.andReturn()
					.getResponse()
					.getStatus()));
			}
			for (Future<Integer> transfer : transfers) {
				assertThat(transfer.get(60, TimeUnit.SECONDS)).isEqualTo(200);
			}
		}
		finally {
			executor.shutdownNow();
		}
		this.mvc.perform(get("/api/wallets/" + a)).andExpect(jsonPath("$.balance").value(0));
		this.mvc.perform(get("/api/wallets/" + b)).andExpect(jsonPath("$.balance").value(80));
		this.mvc.perform(post("/api/wallets/transfer").contentType(MediaType.APPLICATION_JSON)
			.content("{\"from\":\"" + a + "\",\"to\":\"" + b + "\",\"amount\":1}"))
			.andExpect(status().isConflict())
			.andExpect(jsonPath("$.error").value("insufficient-funds"));
	}

}
