/* A classic-BPF interpreter for what libseccomp emits, for the seccomp
 * unit tests: run a filter on a struct seccomp_data without loading it.
 * Include after <cmocka.h>, <linux/filter.h>, <linux/seccomp.h> and
 * <linux/audit.h>. */
#ifndef WARD_TEST_BPF_RUN_H
#define WARD_TEST_BPF_RUN_H

static uint32_t load_word(const struct seccomp_data *d, uint32_t off)
{
	uint32_t w;

	assert_true(off % 4 == 0 && off + 4 <= sizeof(*d));
	memcpy(&w, (const char *)d + off, 4);
	return w;
}

static uint32_t alu(uint16_t op, uint32_t a, uint32_t x)
{
	switch (op) {
	case BPF_ADD: return a + x;
	case BPF_SUB: return a - x;
	case BPF_AND: return a & x;
	case BPF_OR: return a | x;
	case BPF_LSH: return x < 32 ? a << x : 0;
	case BPF_RSH: return x < 32 ? a >> x : 0;
	case BPF_NEG: return -a;
	}
	fail_msg("unexpected ALU op %#x", op);
	return 0;
}

static bool jump(uint16_t op, uint32_t a, uint32_t x)
{
	switch (op) {
	case BPF_JEQ: return a == x;
	case BPF_JGT: return a > x;
	case BPF_JGE: return a >= x;
	case BPF_JSET: return (a & x) != 0;
	}
	fail_msg("unexpected JMP op %#x", op);
	return false;
}

static uint32_t run_bpf(const struct sock_fprog *prog,
			const struct seccomp_data *d)
{
	uint32_t a = 0, x = 0, mem[BPF_MEMWORDS] = {0};

	for (unsigned pc = 0; pc < prog->len; pc++) {
		const struct sock_filter *i = &prog->filter[pc];
		uint32_t src = BPF_SRC(i->code) == BPF_X ? x : i->k;

		switch (BPF_CLASS(i->code)) {
		case BPF_LD:
			if (BPF_MODE(i->code) == BPF_ABS)
				a = load_word(d, i->k);
			else if (BPF_MODE(i->code) == BPF_IMM)
				a = i->k;
			else if (BPF_MODE(i->code) == BPF_MEM)
				a = mem[i->k % BPF_MEMWORDS];
			else
				fail_msg("unexpected LD %#x", i->code);
			break;
		case BPF_LDX:
			x = BPF_MODE(i->code) == BPF_MEM
				    ? mem[i->k % BPF_MEMWORDS] : i->k;
			break;
		case BPF_ST:
			mem[i->k % BPF_MEMWORDS] = a;
			break;
		case BPF_STX:
			mem[i->k % BPF_MEMWORDS] = x;
			break;
		case BPF_ALU:
			a = alu(BPF_OP(i->code), a, src);
			break;
		case BPF_JMP:
			if (BPF_OP(i->code) == BPF_JA)
				pc += i->k;
			else
				pc += jump(BPF_OP(i->code), a, src) ? i->jt
								     : i->jf;
			break;
		case BPF_RET:
			return BPF_RVAL(i->code) == BPF_A ? a : i->k;
		case BPF_MISC:
			if (BPF_MISCOP(i->code) == BPF_TAX)
				x = a;
			else
				a = x;
			break;
		}
	}
	fail_msg("BPF program ran off its end");
	return 0;
}

static uint32_t eval(const struct sock_fprog *prog, int nr, uint64_t a0,
		     uint64_t a1, uint64_t a2)
{
	struct seccomp_data d = {
		.nr = nr,
		.arch = AUDIT_ARCH_X86_64,
		.args = {a0, a1, a2},
	};

	return run_bpf(prog, &d);
}

#define RET_ERRNO(e) (SECCOMP_RET_ERRNO | (uint32_t)(e))

#endif
