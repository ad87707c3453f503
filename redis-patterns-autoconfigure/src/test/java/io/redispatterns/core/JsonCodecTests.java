package io.redispatterns.core;

import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.core.ParameterizedTypeReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class JsonCodecTests {

	private final JsonCodec codec = new JsonCodec(JsonMapper.builder().build());

	record Product(long id, String name, BigDecimal price, Instant createdAt, LocalDate launch, Duration warranty) {
	}

	@Test
	void roundTripsRecordsWithJavaTime() {
		Product product = new Product(7, "Lamp", new BigDecimal("19.90"), Instant.parse("2026-11-22T10:15:30.123Z"),
				LocalDate.of(2026, 1, 2), Duration.ofDays(365));
		assertThat(this.codec.decode(this.codec.encode(product), Product.class)).isEqualTo(product);
	}

	@Test
	void roundTripsGenericListsByTypeReference() {
		List<Product> products = List.of(product(1), product(2));
		List<Product> decoded = this.codec.decode(this.codec.encode(products),
				new ParameterizedTypeReference<List<Product>>() {
				});
		assertThat(decoded).containsExactlyElementsOf(products);
		assertThat(decoded.get(0)).isInstanceOf(Product.class);
	}

	@Test
	void roundTripsMethodReturnTypes() throws NoSuchMethodException {
		Type returnType = Catalog.class.getMethod("byCategory").getGenericReturnType();
		Map<String, List<Product>> value = Map.of("lamps", List.of(product(3)));
		Map<String, List<Product>> decoded = this.codec.decode(this.codec.encode(value), returnType);
		assertThat(decoded).isEqualTo(value);
		Type optionalType = Catalog.class.getMethod("find").getGenericReturnType();
		Optional<Product> found = this.codec.decode(this.codec.encode(Optional.of(product(4))), optionalType);
		assertThat(found).contains(product(4));
	}

	@Test
	void writesNoClassNames() {
		String json = new String(this.codec.encode(List.of(product(5))), StandardCharsets.UTF_8);
		assertThat(json).doesNotContain("@class", "io.redispatterns");
	}

	@Test
	void corruptBytesFailWithCodecException() {
		assertThatExceptionOfType(JsonCodecException.class)
			.isThrownBy(() -> this.codec.decode("{not json".getBytes(StandardCharsets.UTF_8), Product.class))
			.withMessageContaining("Product");
		assertThatExceptionOfType(JsonCodecException.class)
			.isThrownBy(() -> this.codec.decode("[1,2]".getBytes(StandardCharsets.UTF_8), Product.class));
	}

	private static Product product(long id) {
		return new Product(id, "p" + id, BigDecimal.ONE, Instant.EPOCH, LocalDate.EPOCH, Duration.ZERO);
	}

	interface Catalog {

		Map<String, List<Product>> byCategory();

		Optional<Product> find();

	}

}
