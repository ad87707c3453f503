package io.redispatterns.console;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * The console's controller with a section of its own (no Redis): access by authority, the
 * console's CSRF token, enabled or disabled actions, confirmation of actions on many items, the
 * audit log, signed notices and escaping.
 */
class ConsoleControllerTests {

	private final RecordingSection section = new RecordingSection();

	private final ConsoleAuditLog audit = new ConsoleAuditLog(Clock.systemUTC());

	@AfterEach
	void clearUser() {
		SecurityContextHolder.clearContext();
	}

	private MockMvc console(boolean actionsEnabled) {
		ConsoleController controller = new ConsoleController("/ops/console", List.of(this.section), actionsEnabled,
				new ConsoleSecurity("ROLE_OPS"), new ConsoleTokens(), this.audit);
		return MockMvcBuilders.standaloneSetup(controller)
			.addPlaceholderValue("redis-patterns.console.path", "/ops/console")
			.build();
	}

	private static void signIn(String user, String... authorities) {
		TestingAuthenticationToken authentication = new TestingAuthenticationToken(user, "n/a", authorities);
		authentication.setAuthenticated(true);
		SecurityContextHolder.getContext().setAuthentication(authentication);
	}

	private static Cookie tokenCookie(MockHttpServletResponse page) {
		Cookie cookie = page.getCookie(ConsoleTokens.COOKIE);
		assertThat(cookie).isNotNull();
		assertThat(cookie.isHttpOnly()).isTrue();
		assertThat(page.getHeader("Set-Cookie")).contains("SameSite=Strict").contains("Path=/ops/console");
		return cookie;
	}

	@Test
	void pagesShowSectionsAndEscapeWhatTheyRender() throws Exception {
		signIn("ops", "ROLE_OPS");
		MockHttpServletResponse page = console(true).perform(get(URI.create("/ops/console/demo/items/a%20b"))).andReturn().getResponse();
		assertThat(page.getStatus()).isEqualTo(200);
		assertThat(page.getContentType()).startsWith("text/html");
		assertThat(page.getHeader("Content-Security-Policy")).contains("script-src 'self'");
		String html = page.getContentAsString();
		assertThat(html).contains("<h1>Demo</h1>")
			.contains("path=[items, a b]")
			.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
			.doesNotContain("<script>alert(1)")
			.contains("href=\"/ops/console/demo\" aria-current=\"page\"")
			.contains("Signed in as ops");
	}

	@Test
	void usersWithoutTheAuthorityAndAnonymousRequestsAreRefused() throws Exception {
		MockMvc console = console(true);
		assertThat(console.perform(get("/ops/console")).andReturn().getResponse().getStatus()).isEqualTo(403);
		signIn("alice", "ROLE_USER");
		MockHttpServletResponse refused = console.perform(get("/ops/console/demo")).andReturn().getResponse();
		assertThat(refused.getStatus()).isEqualTo(403);
		assertThat(refused.getContentAsString()).contains("needs the authority ROLE_OPS").doesNotContain("Demo item");
		assertThat(console.perform(post("/ops/console/demo/actions/one")).andReturn().getResponse().getStatus())
			.isEqualTo(403);
		assertThat(this.section.actions).isEmpty();
	}

	@Test
	void anActionNeedsTheConsolesTokenAndIsAudited() throws Exception {
		signIn("ops", "ROLE_OPS");
		MockMvc console = console(true);
		MockHttpServletResponse page = console.perform(get("/ops/console/demo")).andReturn().getResponse();
		Cookie cookie = tokenCookie(page);
		assertThat(page.getContentAsString()).contains("name=\"rp-console-token\" value=\"" + cookie.getValue() + "\"")
			.contains("<button type=\"submit\">Do one</button>");

		// a forged post: no token, or a token without the cookie the console set
		assertThat(console.perform(post("/ops/console/demo/actions/one").param("item", "x"))
			.andReturn()
			.getResponse()
			.getStatus()).isEqualTo(403);
		assertThat(console.perform(post("/ops/console/demo/actions/one").param("item", "x")
			.param(ConsoleTokens.FIELD, cookie.getValue())).andReturn().getResponse().getStatus()).isEqualTo(403);
		assertThat(this.section.actions).isEmpty();

		MockHttpServletResponse done = console.perform(post("/ops/console/demo/actions/one").cookie(cookie)
			.param(ConsoleTokens.FIELD, cookie.getValue())
			.param("item", "x\nforged line")).andReturn().getResponse();
		assertThat(done.getStatus()).isEqualTo(303);
		assertThat(done.getHeader("Location")).startsWith("/ops/console/demo/items?notice=Did%20one").contains("&sig=");
		assertThat(this.section.actions).containsExactly("one x\nforged line");
		ConsoleAuditLog.Entry entry = this.audit.recent().get(0);
		assertThat(entry.operator()).isEqualTo("ops");
		assertThat(entry.action()).isEqualTo("demo.one");
		assertThat(entry.target()).isEqualTo("{item=x?forged line}");
		assertThat(entry.outcome()).isEqualTo("Did one");

		String shown = console.perform(get(URI.create(done.getHeader("Location")))).andReturn().getResponse().getContentAsString();
		assertThat(shown).contains("<div role=\"status\" class=\"notice\">Did one</div>");
		String forged = console.perform(get("/ops/console/demo?notice=Call+0800&sig=abc"))
			.andReturn()
			.getResponse()
			.getContentAsString();
		assertThat(forged).doesNotContain("Call 0800");
	}

	@Test
	void actionsOnManyItemsNeedAConfirmation() throws Exception {
		signIn("ops", "ROLE_OPS");
		MockMvc console = console(true);
		MockHttpServletResponse page = console.perform(get("/ops/console/demo")).andReturn().getResponse();
		Cookie cookie = tokenCookie(page);
		assertThat(page.getContentAsString()).contains("data-confirm=\"Do all 3?\"")
			.contains("name=\"confirmed\" value=\"no\"");
		MockHttpServletResponse unconfirmed = console.perform(post("/ops/console/demo/actions/all").cookie(cookie)
			.param(ConsoleTokens.FIELD, cookie.getValue())
			.param("confirmed", "no")).andReturn().getResponse();
		assertThat(unconfirmed.getStatus()).isEqualTo(400);
		assertThat(this.audit.recent().get(0).outcome()).startsWith("refused: This action changes many items");
		MockHttpServletResponse confirmed = console.perform(post("/ops/console/demo/actions/all").cookie(cookie)
			.param(ConsoleTokens.FIELD, cookie.getValue())
			.param("confirmed", "yes")).andReturn().getResponse();
		assertThat(confirmed.getStatus()).isEqualTo(303);
		assertThat(this.section.actions).containsExactly("all");
	}

	@Test
	void withActionsDisabledNoFormIsRenderedAndActionsAreRefused() throws Exception {
		signIn("ops", "ROLE_OPS");
		MockMvc console = console(false);
		MockHttpServletResponse page = console.perform(get("/ops/console/demo")).andReturn().getResponse();
		assertThat(page.getContentAsString()).doesNotContain("<form").contains("Read-only: actions are disabled.");
		Cookie cookie = tokenCookie(page);
		MockHttpServletResponse refused = console.perform(post("/ops/console/demo/actions/one").cookie(cookie)
			.param(ConsoleTokens.FIELD, cookie.getValue())
			.param("item", "x")).andReturn().getResponse();
		assertThat(refused.getStatus()).isEqualTo(403);
		assertThat(refused.getContentAsString()).contains("actions-enabled=false");
		assertThat(this.section.actions).isEmpty();
	}

	@Test
	void unknownSectionsAndPagesAreNotFound() throws Exception {
		signIn("ops", "ROLE_OPS");
		MockMvc console = console(true);
		assertThat(console.perform(get("/ops/console/nothing")).andReturn().getResponse().getStatus()).isEqualTo(404);
		MockHttpServletResponse missing = console.perform(get("/ops/console/demo/missing")).andReturn().getResponse();
		assertThat(missing.getStatus()).isEqualTo(404);
		assertThat(missing.getContentAsString()).contains("role=\"alert\"").contains("No item &#39;missing&#39;");
	}

	/** A section that records its actions. */
	static class RecordingSection implements ConsoleSection {

		final List<String> actions = new ArrayList<>();

		@Override
		public String id() {
			return "demo";
		}

		@Override
		public String title() {
			return "Demo";
		}

		@Override
		public void render(ConsolePage page) {
			if (page.path().equals(List.of("missing"))) {
				throw new ConsoleRequestException(404, "No item 'missing'");
			}
			page.heading("Demo");
			page.html().element("p", "path=" + page.path()).element("pre", "<script>alert(1)</script>");
			page.html().element("p", "Demo item");
			page.actionForm("one", "Do one", null, "item", "x");
			page.actionForm("all", "Do all 3", "Do all 3?");
		}

		@Override
		public ConsoleActionResult act(ConsoleAction action) {
			if (action.name().equals("all")) {
				action.requireConfirmation();
				this.actions.add("all");
				return ConsoleActionResult.of("Did all");
			}
			this.actions.add(action.name() + " " + action.require("item"));
			return ConsoleActionResult.of("Did one", "items");
		}

	}

}
