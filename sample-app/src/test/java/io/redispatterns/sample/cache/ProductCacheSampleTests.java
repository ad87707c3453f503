package io.redispatterns.sample.cache;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
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
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The README's caching walkthrough, against the embedded Redis default.
 */
@SpringBootTest
@AutoConfigureMockMvc
class ProductCacheSampleTests {

	@Autowired
	private MockMvc mvc;

	@Autowired
	private SlowProductRepository repository;

	@Test
	void fiftyConcurrentRequestsForAColdProductLoadItOnce() throws Exception {
		long before = this.repository.loads();
		ExecutorService clients = Executors.newFixedThreadPool(50);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Integer>> statuses = new ArrayList<>();
			for (int i = 0; i < 50; i++) {
				statuses.add(clients.submit(() -> {
					start.await();
					return this.mvc.perform(get("/api/products/3")).andReturn().getResponse().getStatus();
				}));
			}
			start.countDown();
			for (Future<Integer> statusCode : statuses) {
				assertThat(statusCode.get(30, TimeUnit.SECONDS)).isEqualTo(200);
			}
		}
		finally {
			clients.shutdownNow();
		}
		this.mvc.perform(get("/api/products/stats"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.loads").value((int) before + 1));
	}

	@Test
	void updateInvalidatesByKeyAndTag() throws Exception {
		this.mvc.perform(get("/api/products/5")).andExpect(status().isOk()).andExpect(jsonPath("$.name").value("Product 5"));
		this.mvc.perform(get("/api/products/6")).andExpect(status().isOk());
		long loaded = this.repository.loads();
		this.mvc.perform(get("/api/products/5")).andExpect(status().isOk());
		assertThat(this.repository.loads()).isEqualTo(loaded);

		this.mvc.perform(put("/api/products/5").contentType(MediaType.APPLICATION_JSON)
				.content("{\"name\":\"Renamed\",\"price\":9.99}"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.name").value("Renamed"));
		this.mvc.perform(get("/api/products/5")).andExpect(status().isOk()).andExpect(jsonPath("$.name").value("Renamed"));
		this.mvc.perform(get("/api/products/6")).andExpect(status().isOk());
		assertThat(this.repository.loads()).isEqualTo(loaded + 2);
	}

	@Test
	void manyProductsAreReadInOneCallAndTheMissingOnesLoadedInOneQuery() throws Exception {
		long before = this.repository.loads();
		this.mvc.perform(get("/api/products").param("ids", "14,15,997,16"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$[*].id").value(org.hamcrest.Matchers.contains(14, 15, 16)));
		assertThat(this.repository.loads()).as("one query for the three missing products and the unknown id")
			.isEqualTo(before + 1);
		this.mvc.perform(get("/api/products").param("ids", "16,15,14,997"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$[*].id").value(org.hamcrest.Matchers.contains(16, 15, 14)));
		assertThat(this.repository.loads()).as("all cached, the unknown id as an absence").isEqualTo(before + 1);
		this.mvc.perform(get("/api/products").param("ids", "17,14"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$[*].name").value(org.hamcrest.Matchers.contains("Product 17", "Product 14")));
		assertThat(this.repository.loads()).isEqualTo(before + 2);
	}

	@Test
	void unknownProductIsNotFoundAndItsAbsenceIsCached() throws Exception {
		long before = this.repository.loads();
		this.mvc.perform(get("/api/products/999")).andExpect(status().isNotFound());
		this.mvc.perform(get("/api/products/999")).andExpect(status().isNotFound());
		assertThat(this.repository.loads()).isEqualTo(before + 1);
		this.mvc.perform(put("/api/products/999").contentType(MediaType.APPLICATION_JSON)
				.content("{\"name\":\"x\",\"price\":1}"))
			.andExpect(status().isNotFound());
	}

	@Test
	void redisPatternsEndpointListsTheProductsCache() throws Exception {
		this.mvc.perform(get("/api/products/1")).andExpect(status().isOk());
		this.mvc.perform(get("/actuator/redispatterns"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.patterns.cache.caches.products.ttl").value("PT10M"))
			.andExpect(jsonPath("$.patterns.cache.caches.products.hitRatio").isNumber());
	}

}
