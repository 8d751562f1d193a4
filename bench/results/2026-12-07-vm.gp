set terminal pngcairo size 1100,600 font 'sans,10' noenhanced
set output '/work/wt/upgradegap/bench/results/2026-12-07-vm.png'
set title 'Forwarder, 64-byte UDP over veth: Mpps per case (median, min-max), vm 2026-12-07'
set ylabel 'Mpps (counted by the receiving interface)'
set yrange [0:*]
set style fill solid 0.85 border -1
set boxwidth 0.7
set grid ytics
set xtics rotate by -30 nomirror
set key off
set xlabel "grey: kernel XDP baselines (same run); green: forwarder L2 forward; blue: load balancing (ipip); orange: lbrx, load balancing without TX\nbars: median, whiskers: min-max, counted by the interfaces; above each bar: median, and the ratio to the same run's kernel XDP TX (lbrx: XDP DROP)"
set offsets 0.5, 0.5, graph 0.14, 0
plot '/work/wt/upgradegap/bench/results/2026-12-07-vm.dat' using 0:2:5:xtic(1) with boxes lc rgb variable, \
     '' using 0:2:3:4 with yerrorbars lc rgb 'black' pt -1, \
     '' using 0:4:(sprintf('%.2f', $2)) with labels offset 0,0.8, \
     '' using 0:4:6 with labels offset 0,1.8 font ',8'
