/* interp: a small register-machine bytecode interpreter (switch dispatch, 16 registers, a word memory)
   running two programs written in its bytecode: a sieve of Eratosthenes (memory-heavy) and Collatz
   chain lengths (arithmetic with data-dependent branches). The hot path is the dispatch switch: it
   responds to jump-table and branch layout, jump threading, register allocation, inlining and unrolling
   choices, and not at all to vectorization. Integer checksum.
   Usage: interp [runs]   (default 6) */
#include "common.h"

enum op { LI, MOV, ADD, ADDI, SUB, MUL, AND, ANDI, SHRI, LOAD, STORE, JMP, JZ, JNZ, JLT, HALT };
typedef struct { uint8_t op, a, b, c; int32_t imm; } insn;   /* imm: constant or jump target */

enum { MAX_CODE = 256, MEM_WORDS = 1 << 17 };
static insn code[MAX_CODE];
static int code_len;
static uint64_t mem[MEM_WORDS];

static int emit(enum op op, int a, int b, int c, int32_t imm) {
    code[code_len] = (insn){ (uint8_t)op, (uint8_t)a, (uint8_t)b, (uint8_t)c, imm };
    return code_len++;
}
static int here(void) { return code_len; }
static void patch(int at, int target) { code[at].imm = target; }

/* Runs from code[start] to a HALT; jump targets are indexes into code. Returns the HALT's register. */
static uint64_t run(const insn *code_base, int start, uint64_t *reg, uint64_t *memory, uint64_t *executed) {
    const insn *pc = code_base + start;
    uint64_t count = 0;
    for (;;) {
        const insn *i = pc++;
        count++;
        switch ((enum op)i->op) {
        case LI:    reg[i->a] = (uint64_t)(int64_t)i->imm; break;
        case MOV:   reg[i->a] = reg[i->b]; break;
        case ADD:   reg[i->a] = reg[i->b] + reg[i->c]; break;
        case ADDI:  reg[i->a] = reg[i->b] + (uint64_t)(int64_t)i->imm; break;
        case SUB:   reg[i->a] = reg[i->b] - reg[i->c]; break;
        case MUL:   reg[i->a] = reg[i->b] * reg[i->c]; break;
        case AND:   reg[i->a] = reg[i->b] & reg[i->c]; break;
        case ANDI:  reg[i->a] = reg[i->b] & (uint64_t)(int64_t)i->imm; break;
        case SHRI:  reg[i->a] = reg[i->b] >> (i->imm & 63); break;
        case LOAD:  reg[i->a] = memory[reg[i->b] & (MEM_WORDS - 1)]; break;
        case STORE: memory[reg[i->b] & (MEM_WORDS - 1)] = reg[i->a]; break;
        case JMP:   pc = code_base + i->imm; break;
        case JZ:    if (reg[i->a] == 0) pc = code_base + i->imm; break;
        case JNZ:   if (reg[i->a] != 0) pc = code_base + i->imm; break;
        case JLT:   if (reg[i->a] < reg[i->b]) pc = code_base + i->imm; break;
        case HALT:  *executed += count; return reg[i->a];
        }
    }
}

/* Sieve: r0 = limit (in), returns the number of primes below it in r3. mem[k] = 1 marks a composite. */
static int assemble_sieve(void) {
    int start = here();
    emit(LI, 1, 0, 0, 0);                 /* k = 0 */
    int clear = here();
    emit(STORE, 15, 1, 0, 0);             /* mem[k] = r15 (0) */
    emit(ADDI, 1, 1, 0, 1);
    emit(JLT, 1, 0, 0, clear);            /* while k < limit */
    emit(LI, 3, 0, 0, 0);                 /* primes = 0 */
    emit(LI, 1, 0, 0, 2);                 /* p = 2 */
    emit(LI, 14, 0, 0, 1);                /* r14 = 1 */
    int outer = here();
    int done = emit(JLT, 1, 0, 0, 0);     /* if p < limit: body, else done (patched below) */
    int exit_jump = emit(JMP, 0, 0, 0, 0);
    patch(done, here());
    emit(LOAD, 4, 1, 0, 0);               /* composite? */
    int skip = emit(JNZ, 4, 0, 0, 0);
    emit(ADDI, 3, 3, 0, 1);               /* primes++ */
    emit(MUL, 5, 1, 1, 0);                /* m = p * p */
    int mark = here();
    int mark_end = emit(JLT, 5, 0, 0, 0); /* while m < limit */
    int after_mark = emit(JMP, 0, 0, 0, 0);
    patch(mark_end, here());
    emit(STORE, 14, 5, 0, 0);             /* mem[m] = 1 */
    emit(ADD, 5, 5, 1, 0);                /* m += p */
    emit(JMP, 0, 0, 0, mark);
    patch(after_mark, here());
    patch(skip, here());
    emit(ADDI, 1, 1, 0, 1);               /* p++ */
    emit(JMP, 0, 0, 0, outer);
    patch(exit_jump, here());
    emit(HALT, 3, 0, 0, 0);
    return start;
}

/* Collatz: r0 = n_max (in), returns the total number of steps for n in [1, n_max) in r3. */
static int assemble_collatz(void) {
    int start = here();
    emit(LI, 3, 0, 0, 0);                 /* total = 0 */
    emit(LI, 1, 0, 0, 1);                 /* n = 1 */
    emit(LI, 14, 0, 0, 1);                /* r14 = 1 */
    emit(LI, 13, 0, 0, 3);                /* r13 = 3 */
    int outer = here();
    int body = emit(JLT, 1, 0, 0, 0);     /* if n < n_max */
    int exit_jump = emit(JMP, 0, 0, 0, 0);
    patch(body, here());
    emit(MOV, 4, 1, 0, 0);                /* x = n */
    int step = here();
    emit(SUB, 5, 4, 14, 0);
    int next = emit(JZ, 5, 0, 0, 0);      /* x == 1: next n */
    emit(ANDI, 6, 4, 0, 1);
    int even = emit(JZ, 6, 0, 0, 0);
    emit(MUL, 4, 4, 13, 0);               /* odd: x = 3x + 1 */
    emit(ADD, 4, 4, 14, 0);
    int counted = emit(JMP, 0, 0, 0, 0);
    patch(even, here());
    emit(SHRI, 4, 4, 0, 1);               /* even: x /= 2 */
    patch(counted, here());
    emit(ADDI, 3, 3, 0, 1);               /* total++ */
    emit(JMP, 0, 0, 0, step);
    patch(next, here());
    emit(ADDI, 1, 1, 0, 1);
    emit(JMP, 0, 0, 0, outer);
    patch(exit_jump, here());
    emit(HALT, 3, 0, 0, 0);
    return start;
}

int main(int argc, char **argv) {
    long runs = bench_scale(argc, argv, 6, "runs");
    int sieve = assemble_sieve();
    int collatz = assemble_collatz();

    uint64_t checksum = 0, executed = 0;
    for (long r = 0; r < runs; r++) {
        uint64_t reg[16] = { 0 };
        reg[0] = MEM_WORDS - (uint64_t)(r % 7);          /* sieve limit */
        uint64_t primes = run(code, sieve, reg, mem, &executed);
        uint64_t mem_fold = 0;
        for (int k = 0; k < MEM_WORDS; k++) mem_fold = mem_fold * 3 + mem[k];

        for (int k = 0; k < 16; k++) reg[k] = 0;
        reg[0] = 40000 + (uint64_t)r;                    /* Collatz range */
        uint64_t steps = run(code, collatz, reg, mem, &executed);
        checksum = checksum * 1000003u + primes * 0x10001u + steps + mem_fold;
    }
    printf("checksum %llu\n", (unsigned long long)(checksum ^ executed));
    return 0;
}
