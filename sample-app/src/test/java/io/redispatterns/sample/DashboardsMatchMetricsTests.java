package io.redispatterns.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.redispatterns.test.StandaloneRedis;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The Grafana dashboard and the Prometheus alert rules under {@code dashboards/} use only metrics and
 * labels the library really exports: every pattern of the sample is exercised, {@code /actuator/prometheus}
 * is scraped, and every metric name and label of every expression must be in the scrape. Expressions are
 * also parsed (balanced brackets, known functions), as no {@code promtool} is available to the build.
 */
// a context (and embedded Redis) of its own: the walkthrough enqueues e-mails and orders that the sample's
// other tests count from zero in the shared context
@SpringBootTest(properties = "management.metrics.tags.scrape=dashboards")
@AutoConfigureMockMvc
@org.springframework.test.annotation.DirtiesContext
class DashboardsMatchMetricsTests {

	private static final Path DASHBOARDS = Path.of("..", "dashboards");

	private static final Pattern METRIC = Pattern.compile("\\b((?:redis_patterns|cache)_[a-z0-9_]+)\\b(\\{[^}]*\\})?");

	private static final Pattern MATCHER_LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(?:=~|!~|!=|=)");

	private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");

	private static final Pattern CALL = Pattern.compile("\\b([a-z_]+)\\s*\\(");

	private static final Set<String> FUNCTIONS = Set.of("sum", "max", "min", "avg", "count", "rate", "increase",
			"deriv", "irate", "histogram_quantile", "topk", "bottomk", "by", "without", "abs", "clamp_min", "delta");

	/** Labels Prometheus adds when it scrapes, or that histograms carry. */
	private static final Set<String> SCRAPE_LABELS = Set.of("job", "instance", "le", "quantile");

	@Autowired
	private MockMvc mvc;

	@Autowired
	private ApplicationContext context;

	@Test
	void dashboardAndAlertRulesUseOnlyExportedMetricsAndLabels() throws Exception {
		StandaloneRedis redis = this.context.getBean(StandaloneRedis.class);
		AllPatternsWalkthrough walkthrough = new AllPatternsWalkthrough(this.mvc, this.context, (key) -> redis.node());
		walkthrough.leaderboardAndKeyspace();
		walkthrough.cache();
		walkthrough.pageViews();
		walkthrough.rateLimit();
		walkthrough.locks();
		walkthrough.streamsAndPubSub();
		walkthrough.jobQueue();
		walkthrough.sessions();
		String scrape = this.mvc.perform(get("/actuator/prometheus"))
			.andExpect(status().isOk())
			.andReturn()
			.getResponse()
			.getContentAsString();
		Map<String, Set<String>> exported = labelsByMetric(scrape);

		List<String> expressions = new ArrayList<>();
		expressions.addAll(dashboardExpressions());
		expressions.addAll(alertExpressions());
		assertThat(expressions).hasSizeGreaterThan(20);
		List<String> problems = new ArrayList<>();
		for (String expression : expressions) {
			problems.addAll(check(expression, exported));
		}
		assertThat(problems).as("metrics or labels the dashboards use but the application does not export").isEmpty();
	}

	@Test
	void alertRulesHaveNamesSeveritiesAndDescriptions() throws IOException {
		for (Map<String, Object> rule : alertRules()) {
			assertThat(rule).containsKeys("alert", "expr", "labels", "annotations");
			assertThat(((Map<?, ?>) rule.get("labels")).keySet()).extracting(String::valueOf).contains("severity");
			assertThat(((Map<?, ?>) rule.get("annotations")).keySet()).extracting(String::valueOf).contains("summary", "description");
		}
	}

	private static List<String> check(String expression, Map<String, Set<String>> exported) {
		List<String> problems = new ArrayList<>(syntax(expression));
		Set<String> labelsOfExpression = new HashSet<>(SCRAPE_LABELS);
		Matcher metric = METRIC.matcher(expression);
		boolean any = false;
		while (metric.find()) {
			any = true;
			String name = metric.group(1);
			Set<String> labels = exported.get(name);
			if (labels == null) {
				problems.add("metric " + name + " in: " + expression);
				continue;
			}
			labelsOfExpression.addAll(labels);
			if (metric.group(2) != null) {
				Matcher label = MATCHER_LABEL.matcher(metric.group(2));
				while (label.find()) {
					if (!labels.contains(label.group(1)) && !SCRAPE_LABELS.contains(label.group(1))) {
						problems.add("label " + label.group(1) + " of " + name + " in: " + expression);
					}
				}
			}
		}
		if (!any) {
			problems.add("no redis-patterns metric in: " + expression);
		}
		Matcher grouping = GROUPING.matcher(expression);
		while (grouping.find()) {
			for (String label : grouping.group(1).split(",")) {
				if (!label.isBlank() && !labelsOfExpression.contains(label.trim())) {
					problems.add("grouping label " + label.trim() + " in: " + expression);
				}
			}
		}
		return problems;
	}

	private static List<String> syntax(String expression) {
		List<String> problems = new ArrayList<>();
		int round = 0;
		int curly = 0;
		int square = 0;
		for (char c : expression.toCharArray()) {
			switch (c) {
				case '(' -> round++;
				case ')' -> round--;
				case '{' -> curly++;
				case '}' -> curly--;
				case '[' -> square++;
				case ']' -> square--;
				default -> {
				}
			}
			if (round < 0 || curly < 0 || square < 0) {
				problems.add("unbalanced brackets in: " + expression);
				return problems;
			}
		}
		if (round != 0 || curly != 0 || square != 0) {
			problems.add("unbalanced brackets in: " + expression);
		}
		Matcher call = CALL.matcher(expression);
		while (call.find()) {
			if (!FUNCTIONS.contains(call.group(1))) {
				problems.add("unknown function " + call.group(1) + " in: " + expression);
			}
		}
		return problems;
	}

	private static Map<String, Set<String>> labelsByMetric(String scrape) {
		Map<String, Set<String>> labels = new HashMap<>();
		Pattern sample = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s");
		Pattern label = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"");
		for (String line : scrape.split("\n")) {
			if (line.startsWith("#")) {
				continue;
			}
			Matcher matcher = sample.matcher(line);
			if (matcher.find()) {
				Set<String> names = labels.computeIfAbsent(matcher.group(1), (key) -> new HashSet<>());
				if (matcher.group(3) != null) {
					Matcher each = label.matcher(matcher.group(3));
					while (each.find()) {
						names.add(each.group(1));
					}
				}
			}
		}
		return labels;
	}

	private static List<String> dashboardExpressions() throws IOException {
		JsonNode dashboard = JsonMapper.builder().build().readTree(Files.readString(DASHBOARDS.resolve("grafana/redis-patterns.json")));
		List<String> expressions = new ArrayList<>();
		for (JsonNode panel : dashboard.path("panels")) {
			for (JsonNode target : panel.path("targets")) {
				expressions.add(target.path("expr").asString());
			}
		}
		return expressions;
	}

	private static List<String> alertExpressions() throws IOException {
		return alertRules().stream().map((rule) -> String.valueOf(rule.get("expr"))).toList();
	}

	@SuppressWarnings("unchecked")
	private static List<Map<String, Object>> alertRules() throws IOException {
		Map<String, Object> file = new Yaml().load(Files.readString(DASHBOARDS.resolve("prometheus/alerts.yml")));
		List<Map<String, Object>> rules = new ArrayList<>();
		for (Map<String, Object> group : (List<Map<String, Object>>) file.get("groups")) {
			rules.addAll((List<Map<String, Object>>) group.get("rules"));
		}
		return rules;
	}

}
