package dev.fastcgi.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import dev.fastcgi.bench.harness.BenchmarkRunner.Config;

/** Writes the nginx configuration: one server block, on its own port, per configuration. */
final class Nginx {

	private Nginx() {
	}

	static Path write(Setup setup, List<Config> configs) throws IOException {
		Path work = setup.work;
		for (String directory : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi", "static/bytes")) {
			Files.createDirectories(work.resolve("nginx-temp").resolve(directory));
		}
		byte[] hundredKb = new byte[100 * 1024];
		Arrays.fill(hundredKb, (byte) 'x');
		Files.write(work.resolve("nginx-temp/static/bytes/100k"), hundredKb);
		Files.writeString(work.resolve("fastcgi_params.conf"), """
				fastcgi_param QUERY_STRING $query_string;
				fastcgi_param REQUEST_METHOD $request_method;
				fastcgi_param CONTENT_TYPE $content_type;
				fastcgi_param CONTENT_LENGTH $content_length;
				fastcgi_param SCRIPT_NAME $fastcgi_script_name;
				fastcgi_param REQUEST_URI $request_uri;
				fastcgi_param DOCUMENT_URI $document_uri;
				fastcgi_param DOCUMENT_ROOT $document_root;
				fastcgi_param SERVER_PROTOCOL $server_protocol;
				fastcgi_param REQUEST_SCHEME $scheme;
				fastcgi_param HTTPS $https if_not_empty;
				fastcgi_param GATEWAY_INTERFACE CGI/1.1;
				fastcgi_param SERVER_SOFTWARE nginx/$nginx_version;
				fastcgi_param REMOTE_ADDR $remote_addr;
				fastcgi_param REMOTE_PORT $remote_port;
				fastcgi_param REMOTE_USER $remote_user;
				fastcgi_param SERVER_ADDR $server_addr;
				fastcgi_param SERVER_PORT $server_port;
				fastcgi_param SERVER_NAME $server_name;
				fastcgi_param REDIRECT_STATUS 200;
				fastcgi_param HTTP_HOST $host;
				""");
		boolean root = "root".equals(System.getProperty("user.name"));
		StringBuilder conf = new StringBuilder();
		conf.append(root ? "user root;\n" : "");
		conf.append("""
				worker_processes auto;
				worker_rlimit_nofile 65536;
				pid %1$s/nginx.pid;
				error_log %1$s/logs/nginx-error.log warn;
				events {
				  worker_connections 8192;
				}
				http {
				  access_log off;
				  sendfile on;
				  tcp_nodelay on;
				  keepalive_timeout 65;
				  keepalive_requests 1000000;
				  client_max_body_size 2m;
				  # the 1 MB uploads stay in memory
				  client_body_buffer_size 2m;
				  client_body_temp_path %1$s/nginx-temp/client_body;
				  proxy_temp_path %1$s/nginx-temp/proxy;
				  fastcgi_temp_path %1$s/nginx-temp/fastcgi;
				  uwsgi_temp_path %1$s/nginx-temp/uwsgi;
				  scgi_temp_path %1$s/nginx-temp/scgi;
				  # the same buffering for FastCGI and HTTP upstreams: a 100 KB response fits in memory
				  fastcgi_buffers 32 8k;
				  proxy_buffers 32 8k;
				  upstream fcgi_unix {
				    server unix:%1$s/fcgi-ka.sock;
				    keepalive 128;
				    keepalive_requests 1000000;
				  }
				  upstream fcgi_unix_vt {
				    server unix:%1$s/fcgi-vt.sock;
				    keepalive 128;
				    keepalive_requests 1000000;
				  }
				  upstream fcgi_tcp {
				    server 127.0.0.1:19002;
				    keepalive 128;
				    keepalive_requests 1000000;
				  }
				  upstream tomcat {
				    server 127.0.0.1:19003;
				    keepalive 128;
				    keepalive_requests 1000000;
				  }
				  upstream tomcat_25 {
				    server 127.0.0.1:19006;
				    keepalive 128;
				    keepalive_requests 1000000;
				  }
				  upstream jetty {
				    server 127.0.0.1:19005;
				    keepalive 128;
				    keepalive_requests 1000000;
				  }
				""".formatted(work));
		for (Config config : configs) {
			conf.append("  # ").append(config.number()).append(": ").append(config.label()).append('\n');
			conf.append("  server {\n    listen 127.0.0.1:").append(config.port()).append(";\n");
			if (config.nginxLocation() != null) {
				conf.append("    location / {\n      ").append(config.nginxLocation()).append("\n    }\n");
			}
			else {
				conf.append("""
						    root %s/nginx-temp/static;
						    location = /json {
						      default_type application/json;
						      return 200 '{"message":"Hello, World!","id":42,"ok":true}';
						    }
						    location = /plain {
						      default_type text/plain;
						      return 200 "Hello, World!\\n";
						    }
						    location = /bytes/100k {
						      default_type application/octet-stream;
						    }
						    location = /upload {
						      default_type application/json;
						      return 200 '{"bytes":1048576}';
						    }
						""".formatted(work));
			}
			conf.append("  }\n");
		}
		conf.append("}\n");
		Path file = work.resolve("nginx.conf");
		Files.writeString(file, conf);
		return file;
	}

}
