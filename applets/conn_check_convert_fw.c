/* conn_check_convert_fw.c - conn-check-convert-fw: turn conn-check-export-fw's egress YAML
 * into firewall commands (aws, neutron, nova, iptables, ufw), merging several files.
 *
 * Deviations (docs/compat.md): merging files unions their ports (upstream raises TypeError
 * or drops ports); IPv6 targets work (to_cidr ::1/128, ethertype IPv6, ip6tables); neutron's
 * --ethertype says IPv4/IPv6 (upstream prints the bare number); bad usage exits 3.
 */
//applet:IF_CONN_CHECK_CONVERT_FW(APPLET("conn-check-convert-fw", conn_check_convert_fw))
//kbuild:obj-$(CONFIG_CONN_CHECK_CONVERT_FW) += conn_check_convert_fw.o
//config:config CONN_CHECK_CONVERT_FW
//config:	bool "conn-check-convert-fw (+3 kB)"
//config:	default y
//config:	select YAML
//config:	help
//config:	  usage: conn-check-convert-fw -t TYPE [--group GROUP] FILE...
//config:
//config:	  Print one firewall command per rule and port of conn-check-export-fw's
//config:	  YAML files (merged). TYPE: aws (amazon, ec2), neutron (openstack, os),
//config:	  nova, iptables, ufw. Host names are resolved to addresses (5 s at most).
//config:
//config:	  -t, --type=TYPE	Output type
//config:	  --group=GROUP	Security group (default: the literal $SECGROUP)

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "autoconf.h"
#include "../lib/util.h"
#include "../lib/yaml.h"
#include "../net/conn.h"

#define RESOLVE_SECONDS 5
#define MAX_PORTS 1024

struct fwrule {
	const char *proto, *from, *to;
	long ports[MAX_PORTS];
	int nports;
	char to_addr[64], from_addr[64];
	int to_v6;
};

enum { T_AWS, T_NEUTRON, T_NOVA, T_IPTABLES, T_UFW };

static int parse_type(const char *s)
{
	static const struct { const char *name; int t; } map[] = {
		{ "aws", T_AWS }, { "amazon", T_AWS }, { "ec2", T_AWS },
		{ "neutron", T_NEUTRON }, { "openstack", T_NEUTRON }, { "os", T_NEUTRON },
		{ "nova", T_NOVA }, { "iptables", T_IPTABLES }, { "ufw", T_UFW },
	};
	for (size_t i = 0; i < ARRAY_LEN(map); i++)
		if (!strcasecmp(s, map[i].name))
			return map[i].t;
	return -1;
}

static const char *str_of(const struct yaml_node *m, const char *key)
{
	const struct yaml_node *v = yaml_get(m, key);
	char err[600];
	const char *s;

	if (!v) {
		yaml_error(m, err, sizeof(err), "rule without '%s'", key);
		error_exit("%s", err);
	}
	if (yaml_str(v, &s, err, sizeof(err)) < 0)
		error_exit("%s", err);
	return s;
}

/* a host name or address: it is printed into shell commands, so nothing else gets through */
static const char *host_of(const struct yaml_node *m, const char *key)
{
	const char *h = str_of(m, key);
	char err[600];

	if (!*h || strspn(h, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_:") != strlen(h)) {
		yaml_error(yaml_get(m, key), err, sizeof(err), "%s is not a host name or address", key);
		error_exit("%s", err);
	}
	return h;
}

/* add a file's rules to r[0..*n), merging rules with the same protocol, from and to */
static void merge(struct fwrule **r, int *n, const struct yaml_node *root)
{
	const struct yaml_node *eg;
	char err[600];

	if (yaml_is_null(root))
		return;
	if (root->kind != YAML_MAP) {
		yaml_error(root, err, sizeof(err), "expected a mapping with 'egress', got %s", yaml_describe(root));
		error_exit("%s", err);
	}
	eg = yaml_get(root, "egress");
	if (!eg || yaml_is_null(eg))
		return;
	if (eg->kind != YAML_SEQ) {
		yaml_error(eg, err, sizeof(err), "'egress' must be a list, got %s", yaml_describe(eg));
		error_exit("%s", err);
	}
	yaml_foreach(m, eg) {
		const struct yaml_node *ports;
		const char *proto, *from, *to;
		int x;

		if (m->kind != YAML_MAP) {
			yaml_error(m, err, sizeof(err), "expected a rule (a mapping), got %s", yaml_describe(m));
			error_exit("%s", err);
		}
		proto = str_of(m, "protocol");
		from = host_of(m, "from_host");
		to = host_of(m, "to_host");
		if (strcmp(proto, "tcp") && strcmp(proto, "udp")) {
			yaml_error(yaml_get(m, "protocol"), err, sizeof(err), "protocol must be tcp or udp, not '%s'", proto);
			error_exit("%s", err);
		}
		for (x = 0; x < *n; x++)
			if (!strcmp((*r)[x].proto, proto) && !strcmp((*r)[x].from, from) && !strcmp((*r)[x].to, to))
				break;
		if (x == *n) {
			*r = xrealloc(*r, sizeof(**r) * (size_t)(*n + 1));
			memset(&(*r)[x], 0, sizeof(**r));
			(*r)[x].proto = proto;
			(*r)[x].from = from;
			(*r)[x].to = to;
			(*n)++;
		}
		ports = yaml_get(m, "ports");
		if (!ports || ports->kind != YAML_SEQ) {
			yaml_error(ports ? ports : m, err, sizeof(err), "rule needs a list of ports");
			error_exit("%s", err);
		}
		yaml_foreach(p, ports) {
			long long v;
			int dup = 0;
			if (yaml_int(p, 1, 65535, &v, err, sizeof(err)) < 0)
				error_exit("%s", err);
			for (int i = 0; i < (*r)[x].nports; i++)
				dup |= (*r)[x].ports[i] == v;
			if (dup)
				continue;
			if ((*r)[x].nports == MAX_PORTS) {
				yaml_error(p, err, sizeof(err), "more than %d ports in one rule", MAX_PORTS);
				error_exit("%s", err);
			}
			(*r)[x].ports[(*r)[x].nports++] = (long)v;
		}
	}
}

static int resolve_addr(const char *host, char *addr, size_t len)
{
	struct conn c;
	int fam = conn_resolve(&c, host, AF_UNSPEC, deadline_in(RESOLVE_SECONDS), addr, len);

	if (fam < 0)
		error_exit("%s", c.errmsg);
	return fam == AF_INET6;
}

int conn_check_convert_fw_main(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "type", required_argument, 0, 't' },
		{ "group", required_argument, 0, 'g' },
		{ "use-nova", no_argument, 0, 'n' },
		{ 0, 0, 0, 0 },
	};
	const char *type = NULL, *group = "$SECGROUP";
	struct fwrule *r = NULL;
	int n = 0, t, o;

	opterr = 0;
	while ((o = getopt_long(argc, argv, ":t:", lo, NULL)) != -1) {
		switch (o) {
		case 't': type = optarg; break;
		case 'g': group = optarg; break;
		case 'n': break;	/* upstream accepts it and does nothing with it */
		case ':': error_exit("argument %s: expected one argument", argv[optind - 1]);
		default: error_exit("unrecognized arguments: %s", argv[optind - 1]);
		}
	}
	if (!type)
		error_exit("the following arguments are required: -t/--type");
	if (optind >= argc)
		error_exit("the following arguments are required: paths");
	t = parse_type(type);
	if (t < 0)
		error_exit("Error: invalid output type (%s)", type);
	for (int i = optind; i < argc; i++) {
		char err[700];
		struct yaml_doc *d = yaml_load_file(argv[i], NULL, err, sizeof(err));
		if (!d)
			error_exit("%s", err);
		merge(&r, &n, d->root);	/* the documents stay loaded: rules point into them */
	}
	for (int x = 0; x < n; x++) {
		struct fwrule *f = &r[x];
		const char *bits;

		f->to_v6 = resolve_addr(f->to, f->to_addr, sizeof(f->to_addr));
		bits = f->to_v6 ? "128" : "32";
		for (int p = 0; p < f->nports; p++) {
			long port = f->ports[p];
			switch (t) {
			case T_AWS:
				printf("aws ec2 authorize-security-group-egress --group-id %s --protocol %s "
				       "--port %ld --cidr %s/%s\n", group, f->proto, port, f->to_addr, bits);
				break;
			case T_NEUTRON:
				printf("neutron security-group-rule-create --direction egress --ethertype %s "
				       "--protocol %s  --port-range-min %ld --port-range-max %ld  "
				       "--remote-ip-prefix %s/%s %s\n", f->to_v6 ? "IPv6" : "IPv4", f->proto,
				       port, port, f->to_addr, bits, group);
				break;
			case T_NOVA:
				printf("nova secgroup-add-rule %s %s %ld %ld %s/%s\n", group, f->proto, port, port,
				       f->to_addr, bits);
				break;
			case T_IPTABLES:
				printf("%s -A FORWARD -p %s --dport %ld -s %s -d %s -j ACCEPT\n",
				       f->to_v6 ? "ip6tables" : "iptables", f->proto, port, f->from, f->to);
				break;
			case T_UFW:
				printf("ufw allow proto %s from any to %s/%s port %ld\n", f->proto, f->to_addr,
				       bits, port);
				break;
			}
		}
	}
	return 0;
}
