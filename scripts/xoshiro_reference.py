"""Independent Python rendering of arcgrad's seeded generator (src/tensor/random.ts): splitmix32-style
seeding into four words, then xoshiro128**. Prints the first outputs for a seed, which
test/tensor/tensor.test.ts pins. Usage: python3 scripts/xoshiro_reference.py [seed] [count]"""
import sys

M = 0xFFFFFFFF


def seed_words(seed):
    x = seed & M
    words = []
    for _ in range(4):
        x = (x + 0x9E3779B9) & M
        z = x
        z = ((z ^ (z >> 16)) * 0x85EBCA6B) & M
        z = ((z ^ (z >> 13)) * 0xC2B2AE35) & M
        words.append((z ^ (z >> 16)) & M)
    return words


def rotl(x, k):
    return ((x << k) | (x >> (32 - k))) & M


def outputs(seed, count):
    s0, s1, s2, s3 = seed_words(seed)
    for _ in range(count):
        result = (rotl((s1 * 5) & M, 7) * 9) & M
        t = (s1 << 9) & M
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 11)
        yield result


if __name__ == "__main__":
    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    print(list(outputs(seed, count)))
