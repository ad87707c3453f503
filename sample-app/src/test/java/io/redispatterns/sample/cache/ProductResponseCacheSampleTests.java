package io.redispatterns.sample.cache;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The README's HTTP response caching walkthrough, against the embedded Redis default: a product
 * response carries an {@code ETag}, a revalidation gets {@code 304} without running the handler,
 * and the update evicts the response so the old tag no longer matches.
 */
@SpringBootTest
@AutoConfigureMockMvc
class ProductResponseCacheSampleTests {

	@Autowired
	private MockMvc mvc;

	@Autowired
	private SlowProductRepository repository;

	@Test
	void productResponseIsRevalidatedWith304AndTheUpdateEvictsIt() throws Exception {
		long loads = this.repository.loads();
		MvcResult first = this.mvc.perform(get("/api/products/8"))
			.andExpect(status().isOk())
			.andExpect(header().string("Cache-Control", "no-cache"))
			.andReturn();
		String etag = first.getResponse().getHeader("ETag");
		assertThat(etag).isNotNull();
		this.mvc.perform(get("/api/products/8").header("If-None-Match", etag))
			.andExpect(status().isNotModified())
			.andExpect(content().string(""));
		this.mvc.perform(get("/api/products/8"))
			.andExpect(status().isOk())
			.andExpect(header().exists("Age"))
			.andExpect(content().string(first.getResponse().getContentAsString()));
		assertThat(this.repository.loads()).isEqualTo(loads + 1);

		this.mvc.perform(put("/api/products/8").contentType(MediaType.APPLICATION_JSON)
				.content("{\"name\":\"Teapot\",\"price\":24.99}"))
			.andExpect(status().isOk());
		MvcResult updated = this.mvc.perform(get("/api/products/8").header("If-None-Match", etag))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.name").value("Teapot"))
			.andReturn();
		assertThat(updated.getResponse().getHeader("ETag")).isNotEqualTo(etag);
	}

	@Test
	void statsAreNeverServedFromTheResponseCache() throws Exception {
		this.mvc.perform(get("/api/products/stats")).andExpect(status().isOk()).andExpect(header().doesNotExist("ETag"));
	}

}
