-- A standard normal pseudo-random number from a key and a salt (Box–Muller over two syn_u draws).
create or replace temp macro syn_z(k, s) as
    sqrt(-2 * ln(1 - syn_u(k, s))) * cos(2 * pi() * syn_u(k, s + 1000003))
