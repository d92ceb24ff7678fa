package dev.fastcgi.sample;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import jakarta.servlet.Filter;
import jakarta.servlet.ServletException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.forwardedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The sample application's behaviour in a mock servlet environment: what the end-to-end tests
 * expect to see again through each web server over FastCGI.
 */
@SpringBootTest
class SampleApplicationTests {

	private MockMvc mvc;

	@BeforeEach
	void setUp(@Autowired WebApplicationContext context,
			@Autowired @Qualifier("springSecurityFilterChain") Filter springSecurityFilterChain) {
		this.mvc = MockMvcBuilders.webAppContextSetup(context).addFilters(springSecurityFilterChain).build();
	}

	@Test
	void homePageIsStaticHtml() throws Exception {
		this.mvc.perform(get("/")).andExpect(status().isOk()).andExpect(forwardedUrl("index.html"));
	}

	@Test
	void greets() throws Exception {
		this.mvc.perform(get("/api/greeting").param("name", "FastCGI"))
			.andExpect(status().isOk())
			.andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
			.andExpect(jsonPath("$.greeting").value("Hello, FastCGI!"));
	}

	@Test
	void createsItemThenServesItAtItsLocation() throws Exception {
		String location = this.mvc
			.perform(post("/api/items").contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"pen\",\"quantity\":3}"))
			.andExpect(status().isCreated())
			.andExpect(jsonPath("$.name").value("pen"))
			.andReturn()
			.getResponse()
			.getHeader(HttpHeaders.LOCATION);
		assertThat(location).startsWith("http://localhost/api/items/");
		this.mvc.perform(get(location))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.name").value("pen"))
			.andExpect(jsonPath("$.quantity").value(3));
	}

	@Test
	void refusesItemWithoutName() throws Exception {
		this.mvc.perform(post("/api/items").contentType(MediaType.APPLICATION_JSON).content("{\"quantity\":3}"))
			.andExpect(status().isBadRequest());
	}

	@Test
	void unknownItemIsNotFound() throws Exception {
		this.mvc.perform(get("/api/items/999999")).andExpect(status().isNotFound());
	}

	@Test
	void echoesFormFieldsWithoutCsrfToken() throws Exception {
		this.mvc
			.perform(post("/form").contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.content("name=Ada&comment=%C3%BCn%C3%AFc%C3%B6d%C3%A9+%26+more&name=Grace"))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.name[0]").value("Ada"))
			.andExpect(jsonPath("$.name[1]").value("Grace"))
			.andExpect(jsonPath("$.comment[0]").value("ünïcödé & more"));
	}

	@Test
	void reportsNameSizeAndDigestOfUpload() throws Exception {
		MockMultipartFile file = new MockMultipartFile("file", "hello.txt", "text/plain",
				"hello\n".getBytes(StandardCharsets.UTF_8));
		this.mvc.perform(multipart("/upload").file(file))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.name").value("hello.txt"))
			.andExpect(jsonPath("$.size").value(6))
			.andExpect(jsonPath("$.sha256").value("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03"));
	}

	@Test
	void streamsFiveEvents() throws Exception {
		MvcResult result = this.mvc.perform(get("/events").accept(MediaType.TEXT_EVENT_STREAM))
			.andExpect(request().asyncStarted())
			.andReturn();
		result.getAsyncResult(EventsController.EVENT_COUNT * EventsController.INTERVAL_MILLIS + 5_000);
		String body = result.getResponse().getContentAsString();
		assertThat(body).contains("id:1\nevent:tick\ndata:tick 1 of 5\n\n").contains("data:tick 5 of 5\n\n");
		assertThat(body.split("\n\n")).hasSize(EventsController.EVENT_COUNT);
	}

	@Test
	void adminAreaNeedsAdminOverHttpBasic() throws Exception {
		this.mvc.perform(get("/admin"))
			.andExpect(status().isUnauthorized())
			.andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, startsWith("Basic realm=")));
		this.mvc.perform(get("/admin").header(HttpHeaders.AUTHORIZATION, basic("user", "password")))
			.andExpect(status().isForbidden());
		this.mvc.perform(get("/admin").header(HttpHeaders.AUTHORIZATION, basic("admin", "admin")))
			.andExpect(status().isOk())
			.andExpect(jsonPath("$.user").value("admin"));
	}

	@Test
	void boomFails() {
		// MockMvc has no error page forwarding, so the exception surfaces here; the error page
		// a client gets is checked end to end.
		assertThatExceptionOfType(ServletException.class).isThrownBy(() -> this.mvc.perform(get("/boom")))
			.havingRootCause()
			.withMessageStartingWith("Boom");
	}

	private static String basic(String user, String password) {
		return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
	}

}
