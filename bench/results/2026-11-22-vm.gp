set terminal pngcairo size 1100,560 font 'sans,10'
set output 'bench/results/2026-11-22-vm.png'
set title 'Forwarder, 64-byte UDP over veth: Mpps per case (median, min-max), vm 2026-11-22'
set ylabel 'Mpps (received at the far end)'
set yrange [0:*]
set style fill solid 0.85 border -1
set boxwidth 0.7
set grid ytics
set xtics rotate by -30 nomirror
set key off
set xlabel 'grey: kernel XDP baselines (same run); green: forwarder L2 forward; blue: forwarder load balancing (ipip); bars: median, whiskers: min-max'
set offsets 0.5, 0.5, graph 0.08, 0
plot 'bench/results/2026-11-22-vm.dat' using 0:2:5:xtic(1) with boxes lc rgb variable, \
     '' using 0:2:3:4 with yerrorbars lc rgb 'black' pt -1, \
     '' using 0:4:(sprintf('%.2f', $2)) with labels offset 0,0.8
